import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { podPermissions, tableSetupEntries, type PodPermission } from '../../../shared/pod-permissions.ts';

/**
 * docs/connectwise-setup.md's permission table is shared/pod-permissions.ts written out: every
 * row of the data file must appear in the guide exactly as generated here, and the guide must
 * not list a right the data file does not have. Change the data file, then paste the rows
 * this prints on failure.
 */

const guideUrl = new URL('../../../docs/connectwise-setup.md', import.meta.url);

const levels = (p: PodPermission) =>
  (['add', 'edit', 'delete', 'inquire'] as const)
    .filter((a) => p.needs[a] !== undefined)
    .map((a) => `${a[0]!.toUpperCase()}${a.slice(1)} = ${p.needs[a]}${a === 'inquire' && p.myAcceptable ? ' (My will do)' : ''}`)
    .join(', ');

/** One guide table row per permission. */
export function permissionRow(p: PodPermission): string {
  const customize = p.customize.length > 0 ? ` Customize: ${p.customize.join('; ')}.` : '';
  const probe = p.probe === null ? 'Register in ConnectWise reports it' : `GET ${p.probe.path}`;
  return `| ${p.module.name} › ${p.function.name} | ${levels(p)} | ${p.required ? 'Required' : 'Optional'} | ${p.why}${customize} | ${p.withoutIt} | ${probe} |`;
}

describe('the setup guide', () => {
  it('lists every permission of shared/pod-permissions.ts, as generated', async () => {
    const guide = await readFile(guideUrl, 'utf8');
    const missing = podPermissions.map(permissionRow).filter((row) => !guide.includes(row));
    expect(missing, `paste these rows into docs/connectwise-setup.md:\n${missing.join('\n')}`).toEqual([]);
  });

  it('lists no permission row the data file does not have', async () => {
    const guide = await readFile(guideUrl, 'utf8');
    const start = guide.indexOf('<!-- permissions:start -->');
    const end = guide.indexOf('<!-- permissions:end -->');
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const rows = guide
      .slice(start, end)
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Module') && !l.startsWith('|---'));
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
