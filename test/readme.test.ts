import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedPermissionRows, permissionRowsIn } from './support/permission-table.ts';

const readme = () => readFile(new URL('../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('shows the two commands on its first screen', async () => {
    const firstScreen = (await readme()).split('\n').slice(0, 25).join('\n');
    expect(firstScreen).toMatch(/npm install && npm start/);
    expect(firstScreen).toMatch(/^npm test/m);
  });

  it('prints the permission table of shared/pod-permissions.ts, exactly', async () => {
    expect(permissionRowsIn(await readme())).toEqual(generatedPermissionRows());
  });

  it('documents every environment variable the server reads', async () => {
    const text = await readme();
    const config = await readFile(new URL('../server/config.ts', import.meta.url), 'utf8');
    const names = [...config.matchAll(/^\s{2}([A-Z][A-Z_]+):/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) expect(text, name).toContain(`\`${name}\``);
  });
});
