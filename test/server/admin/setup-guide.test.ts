import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { podPermissions, tableSetupEntries } from '../../../shared/pod-permissions.ts';
import { permissionRow, permissionRowsIn } from '../../support/permission-table.ts';

/**
 * docs/connectwise-setup.md's permission table is shared/pod-permissions.ts written out: every
 * row of the data file must appear in the guide exactly as generated here, and the guide must
 * not list a right the data file does not have. Change the data file, then paste the rows
 * this prints on failure.
 */

const guideUrl = new URL('../../../docs/connectwise-setup.md', import.meta.url);

describe('the setup guide', () => {
  it('lists every permission of shared/pod-permissions.ts, as generated', async () => {
    const guide = await readFile(guideUrl, 'utf8');
    const missing = podPermissions.map(permissionRow).filter((row) => !guide.includes(row));
    expect(missing, `paste these rows into docs/connectwise-setup.md:\n${missing.join('\n')}`).toEqual([]);
  });

  it('lists no permission row the data file does not have', async () => {
    const guide = await readFile(guideUrl, 'utf8');
    const rows = permissionRowsIn(guide);
    expect(rows, 'the guide marks its table with <!-- permissions:start/end -->').not.toBeNull();
    expect(rows).toEqual(podPermissions.map(permissionRow));
  });

  it('names every Table Setup "Customize" entry', async () => {
    const guide = await readFile(guideUrl, 'utf8');
    expect(tableSetupEntries.length).toBeGreaterThan(0);
    for (const entry of tableSetupEntries) expect(guide).toContain(entry);
  });

  it('gives every permission a click path under System › Security Roles', () => {
    for (const p of podPermissions) {
      expect(p.uiPath.startsWith(`System › Security Roles › <role> › ${p.module.name} › ${p.function.name} › `)).toBe(true);
    }
    expect(new Set(podPermissions.map((p) => p.id)).size).toBe(podPermissions.length);
  });
});
