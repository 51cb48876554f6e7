import { describe, expect, it } from 'vitest';
import { podPermissions, type PodPermission } from '../../../shared/pod-permissions.ts';
import {
  findSetting,
  judgePermissions,
  levelSatisfies,
  parseLevel,
  permissionsStep,
  type ProbeOutcome,
  type RoleSettingLike,
} from '../../../server/admin/permission-check.ts';

const byId = (id: string): PodPermission => {
  const p = podPermissions.find((x) => x.id === id);
  if (!p) throw new Error(`no permission ${id}`);
  return p;
};

/** A role row as ConnectWise might send it, granting inquire at `level`. */
const row = (moduleName: string, functionName: string, inquireLevel: string, extra: Partial<RoleSettingLike> = {}): RoleSettingLike => ({
  moduleIdentifier: 'X-unknown',
  moduleName,
  moduleFunctionIdentifier: 'Y-unknown',
  moduleFunctionName: functionName,
  addLevel: 'None',
  editLevel: 'None',
  deleteLevel: 'None',
  inquireLevel,
  ...extra,
});

/** A role granting every pod permission as the data file asks: one row per function, as ConnectWise has. */
function fullRole(): RoleSettingLike[] {
  const rows = new Map<string, RoleSettingLike>();
  const max = (a: string | null | undefined, b: string | undefined) =>
    [a ?? 'None', b ?? 'None'].includes('All') ? 'All' : [a, b].includes('My') ? 'My' : 'None';
  for (const p of podPermissions) {
    const key = `${p.module.name}/${p.function.name}`;
    const r = rows.get(key) ?? row(p.module.name, p.function.name, 'None');
    rows.set(key, {
      ...r,
      inquireLevel: max(r.inquireLevel, p.needs.inquire),
      addLevel: max(r.addLevel, p.needs.add),
      editLevel: max(r.editLevel, p.needs.edit),
    });
  }
  return [...rows.values()];
}

describe('matching role rows to pod permissions', () => {
  it('matches on names when the identifiers are unknown, ignoring case, spaces and punctuation', () => {
    const settings = [row('time & expense', 'TIME ENTRY', 'All')];
    expect(findSetting(settings, byId('time_entries'))).toBe(settings[0]);
  });

  it('matches on identifiers when the names differ', () => {
    const settings = [
      { moduleIdentifier: 'ServiceDesk', moduleName: 'Helpdesk', moduleFunctionIdentifier: 'ServiceTickets', moduleFunctionName: 'Tickets', inquireLevel: 'All' },
    ];
    expect(findSetting(settings, byId('service_tickets'))).toBe(settings[0]);
  });

  it('does not match a function of the same name in another module', () => {
    expect(findSetting([row('Procurement', 'Agreements', 'All')], byId('agreements'))).toBeUndefined();
  });

  it('reads levels leniently and ranks None < My < All', () => {
    expect(parseLevel('ALL')).toBe('All');
    expect(parseLevel('Mine')).toBe('My');
    expect(parseLevel(null)).toBe('None');
    expect(levelSatisfies('My', 'All', false)).toBe(false);
    expect(levelSatisfies('My', 'All', true)).toBe(true);
    expect(levelSatisfies('All', 'My', false)).toBe(true);
  });
});

describe('judging the role against the pod permissions', () => {
  it('grants every row of a complete role', () => {
    const verdicts = judgePermissions(podPermissions, fullRole(), new Map());
    expect(verdicts.filter((v) => v.status !== 'granted').map((v) => v.permission.id)).toEqual([]);
    const step = permissionsStep(verdicts, 'test');
    expect(step.status).toBe('ok');
    expect(step.missing).toBeUndefined();
  });

  it('names a row whose inquire level is My where All is needed', () => {
    const settings = fullRole().map((s) => (s.moduleFunctionName === 'Service Tickets' ? { ...s, inquireLevel: 'My' } : s));
    const verdicts = judgePermissions(podPermissions, settings, new Map());
    const tickets = verdicts.find((v) => v.permission.id === 'service_tickets');
    expect(tickets?.status).toBe('missing');
    expect(tickets?.reason).toContain('Inquire Level is My, needs All');
  });

  it('treats a probe 403 as authoritative even when the role row looks fine', () => {
    const probes = new Map<string, ProbeOutcome>([['contacts', 'forbidden']]);
    const verdicts = judgePermissions(podPermissions, fullRole(), probes);
    expect(verdicts.find((v) => v.permission.id === 'contacts')?.status).toBe('missing');
  });

  it('accepts a successful probe when the role lists no row by that name', () => {
    const settings = fullRole().filter((s) => s.moduleFunctionName !== 'Service Ticket Notes');
    const verdicts = judgePermissions(podPermissions, settings, new Map([['service_notes', 'ok' as const]]));
    expect(verdicts.find((v) => v.permission.id === 'service_notes')?.status).toBe('granted');
  });

  it('calls a right unverified when neither the role nor a probe can decide', () => {
    const verdicts = judgePermissions(podPermissions, null, new Map());
    expect(verdicts.find((v) => v.permission.id === 'hosted_api_write')?.status).toBe('unverified');
  });

  it('checks Add and Edit levels as well as Inquire', () => {
    const settings = fullRole().map((s) => (s.moduleFunctionName === 'Manage Hosted API' ? { ...s, addLevel: 'None' } : s));
    const verdicts = judgePermissions(podPermissions, settings, new Map());
    const write = verdicts.find((v) => v.permission.id === 'hosted_api_write');
    expect(write?.status).toBe('missing');
    expect(write?.reason).toContain('Add Level is None, needs All');
  });
});

describe('the permissions step', () => {
  it('fails on a missing required right and lists each missing right as the path an admin clicks', () => {
    const probes = new Map<string, ProbeOutcome>([
      ['service_tickets', 'forbidden'],
      ['agreements', 'forbidden'],
    ]);
    const step = permissionsStep(judgePermissions(podPermissions, null, probes), 'probes');
    expect(step.status).toBe('failed');
    expect(step.missing).toEqual([byId('service_tickets').uiPath, byId('agreements').uiPath]);
    expect(step.fix).toContain('System › Security Roles › <role> › Service Desk › Service Tickets › Inquire Level = All');
    expect(step.message).toContain(byId('agreements').withoutIt);
  });

  it('only warns when the missing rights are optional, saying what is hidden', () => {
    const probes = new Map<string, ProbeOutcome>(podPermissions.filter((p) => p.probe).map((p) => [p.id, 'ok' as ProbeOutcome]));
    probes.set('agreements', 'forbidden');
    const step = permissionsStep(judgePermissions(podPermissions, fullRole(), probes), 'test');
    expect(step.status).toBe('warning');
    expect(step.missing).toEqual([byId('agreements').uiPath]);
    expect(step.message).toContain("company's list says your role cannot read agreements");
  });
});
