import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { originNotAllowedPage } from '../../../server/web/notice-page.ts';

/**
 * Issue 11: the setup guide names the console's buttons, fields, steps and panels in bold
 * inside `<!-- console:start -->` … `<!-- console:end -->`; every one of them must be written,
 * word for word, in the console's source. Rename a button and this fails until the guide
 * follows (or the other way round).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const guidePath = path.join(root, 'docs/connectwise-setup.md');

/**
 * The console's source text, JSX whitespace folded, so a label split over lines still matches:
 * pod/admin, and the connection test's step names, which the console shows from
 * shared/connection-test-steps.ts.
 */
async function consoleText(): Promise<string> {
  const dir = path.join(root, 'pod/admin');
  const files = (await readdir(dir, { recursive: true })).filter((f) => /\.(tsx?|html)$/.test(f)).map((f) => path.join(dir, f));
  files.push(path.join(root, 'shared/connection-test-steps.ts'));
  const sources = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  return sources
    .join('\n')
    .replace(/\{' '\}/g, ' ')
    .replace(/\s+/g, ' ');
}

/** The bold terms of the guide's console regions, without surrounding quotes' variants. */
export function consoleTerms(guide: string): string[] {
  const regions = [...guide.matchAll(/<!-- console:start -->([\s\S]*?)<!-- console:end -->/g)].map((m) => m[1]!);
  return [...new Set(regions.flatMap((r) => [...r.matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]!.trim())))];
}

describe('the setup guide and the console', () => {
  it('marks the parts that describe the console', async () => {
    const guide = await readFile(guidePath, 'utf8');
    const terms = consoleTerms(guide);
    // The positive control: the main buttons are among what is checked.
    for (const t of ['Add company', 'Save and test', 'Register in ConnectWise', 'Allow this address', 'Refused addresses', 'Events']) {
      expect(terms).toContain(t);
    }
  });

  it('names only buttons, fields, steps and panels the console has, in its words', async () => {
    const [guide, text] = await Promise.all([readFile(guidePath, 'utf8'), consoleText()]);
    const missing = consoleTerms(guide).filter((term) => !text.includes(term));
    expect(missing, 'the guide names these, but the console (pod/admin) does not say them').toEqual([]);
  });

  it('finds a renamed button (the check is not vacuous)', async () => {
    const text = await consoleText();
    expect(consoleTerms('<!-- console:start -->Click **Add tenant**, then **Run connection test**.<!-- console:end -->').filter((t) => !text.includes(t))).toEqual([
      'Add tenant',
      'Run connection test',
    ]);
  });

  it('sends technicians to console words that exist', async () => {
    const text = await consoleText();
    const notice = originNotAllowedPage('https://cw2.example.com');
    expect(notice).toContain('Refused addresses');
    expect(notice).toContain('Allow this address');
    for (const term of ['Refused addresses', 'Allow this address']) expect(text).toContain(term);
  });
});
