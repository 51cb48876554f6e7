import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Vite build (dist/web). Pages are read once and kept: they change only with a deploy,
 * which restarts the process. A missing build is reported, not crashed on, so a developer
 * who forgot `npm run build` gets a page that says so.
 */
export type WebRoot = {
  dir: string;
  assetsDir: string;
  /** The built HTML of a page ("pod" → index.html, "admin" → admin/index.html), or null if unbuilt. */
  page(name: 'pod' | 'admin' | 'harness'): string | null;
};

const files = { pod: 'index.html', admin: 'admin/index.html', harness: 'harness/index.html' } as const;

export function openWebRoot(dir: string): WebRoot {
  const cache = new Map<string, string | null>();
  return {
    dir,
    assetsDir: path.join(dir, 'assets'),
    page(name) {
      if (!cache.has(name)) {
        try {
          cache.set(name, readFileSync(path.join(dir, files[name]), 'utf8'));
        } catch {
          cache.set(name, null);
        }
      }
      return cache.get(name) ?? null;
    },
  };
}

/** JSON safe to place inside a <script type="application/json"> element. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inserts a JSON data block (never code) into a built page, before </head>. */
export function withDataBlock(html: string, id: string, value: unknown): string {
  const block = `<script type="application/json" id="${id}">${jsonForHtml(value)}</script>`;
  const at = html.indexOf('</head>');
  return at === -1 ? block + html : html.slice(0, at) + block + html.slice(at);
}
