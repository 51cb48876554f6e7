import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonForHtml, openWebRoot, withDataBlock } from '../../../server/web/web-root.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function builtWebRoot(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'web-root-test-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** The text of every <script …>…</script> element, as an HTML tokenizer would end them. */
function scriptBodies(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script/gi)].map((m) => m[1]!);
}

const hostile = [
  ['an end tag', '</script><script>alert(1)</script>'],
  ['an upper-case end tag', '</SCRIPT><img src=x onerror=alert(1)>'],
  ['an HTML comment opener', '<!--<script>'],
  ['an ampersand entity', '&lt;&amp;'],
  ['a line separator', 'a\u2028b'],
  ['a paragraph separator', 'a\u2029b'],
  ['quotes and backslashes', '"\\\'`'],
] as const;

describe('jsonForHtml', () => {
  it.each(hostile)('round-trips a value with %s through JSON.parse', (_what, value) => {
    const json = jsonForHtml({ companyId: 'acme', note: value, list: [value] });
    expect(JSON.parse(json)).toEqual({ companyId: 'acme', note: value, list: [value] });
  });

  it.each(hostile)('writes no <, >, &, U+2028 or U+2029 for a value with %s', (_what, value) => {
    expect(jsonForHtml({ value })).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it('escapes with \\u sequences', () => {
    expect(jsonForHtml('</script>&\u2028\u2029')).toBe('"\\u003c/script\\u003e\\u0026\\u2028\\u2029"');
  });

  it('leaves ordinary values as JSON.stringify writes them', () => {
    const value = { companyId: 'acme', expectedOrigins: ['https://na.myconnectwise.net'], mode: 'connectwise', n: 1, ok: true, none: null };
    expect(jsonForHtml(value)).toBe(JSON.stringify(value));
  });
});

describe('withDataBlock', () => {
  const page = '<!doctype html><html><head><title>Pod</title><script type="module" src="/assets/pod.js"></script></head><body><div id="app"></div></body></html>';

  it('inserts the block just before </head>, leaving the rest of the page as it was', () => {
    const html = withDataBlock(page, 'pod-config', { companyId: 'acme' });
    const block = '<script type="application/json" id="pod-config">{"companyId":"acme"}</script>';
    expect(html).toBe(page.replace('</head>', `${block}</head>`));
  });

  it.each(hostile)('keeps a value with %s inside its own script element', (_what, value) => {
    const config = { companyId: 'acme', harnessUrl: value };
    const html = withDataBlock(page, 'pod-config', config);
    // Exactly the page's scripts plus ours: a value cannot end the block or open another.
    const bodies = scriptBodies(html);
    expect(bodies).toHaveLength(scriptBodies(page).length + 1);
    expect(JSON.parse(bodies.find((b) => b.startsWith('{'))!)).toEqual(config);
    expect(html.slice(html.indexOf('</head>'))).toBe(page.slice(page.indexOf('</head>')));
  });

  it('puts the block first when the page has no </head>', () => {
    expect(withDataBlock('<p>bare</p>', 'cfg', 1)).toBe('<script type="application/json" id="cfg">1</script><p>bare</p>');
  });
});

describe('openWebRoot', () => {
  it('serves each built page and knows where the assets are', async () => {
    const dir = await builtWebRoot({
      'index.html': '<html>pod</html>',
      'admin/index.html': '<html>admin</html>',
      'harness/index.html': '<html>harness</html>',
    });
    const web = openWebRoot(dir);
    expect(web.dir).toBe(dir);
    expect(web.assetsDir).toBe(path.join(dir, 'assets'));
    expect(web.page('pod')).toBe('<html>pod</html>');
    expect(web.page('admin')).toBe('<html>admin</html>');
    expect(web.page('harness')).toBe('<html>harness</html>');
  });

  it('answers null for a page that was not built', async () => {
    const dir = await builtWebRoot({ 'index.html': '<html>pod</html>' });
    const web = openWebRoot(dir);
    expect(web.page('admin')).toBeNull();
    expect(web.page('harness')).toBeNull();
    expect(web.page('pod')).toBe('<html>pod</html>');
  });

  it('answers null for every page when the folder does not exist', () => {
    const web = openWebRoot(path.join(tmpdir(), 'no-such-web-root-for-tests', String(process.pid)));
    expect(web.page('pod')).toBeNull();
  });

  it('reads a page once: a deploy restarts the process', async () => {
    const dir = await builtWebRoot({ 'index.html': '<html>v1</html>' });
    const web = openWebRoot(dir);
    expect(web.page('pod')).toBe('<html>v1</html>');
    await writeFile(path.join(dir, 'index.html'), '<html>v2</html>');
    expect(web.page('pod')).toBe('<html>v1</html>');
  });
});
