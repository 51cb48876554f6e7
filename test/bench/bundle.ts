import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { kB, row, type Row } from './report.ts';

/** First-load budget for the pod: its JS and CSS, gzipped, as Vite reports kB (1000 bytes). */
export const BUNDLE_BUDGET_BYTES = 30_000;

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

/** Every asset index.html loads before anything runs: scripts, stylesheets, modulepreloads. */
function referencedAssets(html: string): string[] {
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1];
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href && (rel === 'stylesheet' || rel === 'modulepreload')) refs.add(href);
  }
  return [...refs];
}

/** `import … from "./x.js"` and `import "./x.js"` (static), not `import("./x.js")` (lazy). */
// Vite 8 (Rolldown) quotes specifiers with backticks as well as quotes.
const staticImports = (js: string) =>
  [...js.matchAll(/\bimport\s*(?:[\w$*{},\s]*?from\s*)?["'`](\.{1,2}\/[^"'`]+)["'`]/g)].map((m) => m[1]!);
const dynamicImports = (js: string) => [...js.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)].map((m) => m[1]!);

export type BundleFigures = { initial: { file: string; gzip: number }[]; lazy: { file: string; gzip: number }[] };

/**
 * Reads dist/web/index.html, follows its assets and their static imports (all loaded before
 * the pod can render) and sums their gzip -9 sizes; chunks reached only by import() are the
 * lazy ones (the ticket view), reported apart with their own static imports.
 */
export async function measureBundle(webDir: string): Promise<BundleFigures> {
  const html = await readFile(path.join(webDir, 'index.html'), 'utf8');
  const toFile = (ref: string) => path.join(webDir, ref.replace(/^\//, ''));
  const initial = new Map<string, number>();
  const lazyRoots = new Set<string>();

  async function walk(file: string, into: Map<string, number>): Promise<void> {
    if (into.has(file)) return;
    const bytes = await readFile(file);
    into.set(file, gz(bytes));
    if (!file.endsWith('.js')) return;
    const js = bytes.toString('utf8');
    for (const ref of staticImports(js)) await walk(path.resolve(path.dirname(file), ref), into);
    for (const ref of dynamicImports(js)) lazyRoots.add(path.resolve(path.dirname(file), ref));
  }
  for (const ref of referencedAssets(html)) await walk(toFile(ref), initial);

  const lazy = new Map<string, number>();
  for (const root of lazyRoots) if (!initial.has(root)) await walk(root, lazy);
  for (const file of initial.keys()) lazy.delete(file);
  const list = (m: Map<string, number>) => [...m].map(([file, gzip]) => ({ file: path.relative(webDir, file), gzip }));
  return { initial: list(initial), lazy: list(lazy) };
}

export function bundleRows(b: BundleFigures): Row[] {
  const sum = (xs: { gzip: number }[]) => xs.reduce((n, x) => n + x.gzip, 0);
  const initialJs = sum(b.initial.filter((f) => f.file.endsWith('.js')));
  const initialCss = sum(b.initial.filter((f) => f.file.endsWith('.css')));
  const total = initialJs + initialCss;
  return [
    row({
      figure: 'Pod first load, JS + CSS (gzip -9)',
      value: `${kB(total)} (JS ${kB(initialJs)}, CSS ${kB(initialCss)}; ${b.initial.length} files)`,
      baseline: `budget ${kB(BUNDLE_BUDGET_BYTES)}`,
      ratio: `${((total / BUNDLE_BUDGET_BYTES) * 100).toFixed(0)} % of budget`,
      target: `≤ ${kB(BUNDLE_BUDGET_BYTES)}`,
      pass: total <= BUNDLE_BUDGET_BYTES,
    }),
    row({
      figure: 'Lazy ticket-view chunk(s) (gzip -9)',
      value: b.lazy.length === 0 ? 'none' : `${kB(sum(b.lazy))} (${b.lazy.map((f) => path.basename(f.file)).join(', ')})`,
    }),
  ];
}
