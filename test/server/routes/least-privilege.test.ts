import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { TicketAgreements, TicketContext } from '../../../shared/ticket-context.ts';
import {
  demoBoardIds,
  demoCompanyId,
  demoNoNotesTechnician,
  demoOwnTimeTechnician,
  demoRestrictedTechnician,
  demoTechnician,
  demoTicketIds,
  type DemoMember,
} from '../../../server/simulated-connectwise/demo.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { addTechnicians, memberAuthentication, type TestMember } from '../../support/members.ts';

/**
 * Issue 10 over real HTTP, against the simulated ConnectWise: every list and section within
 * the technician's own rights (items 1), warm-up that cannot be turned against the MSP
 * (item 3), and revocation (item 8). Each "not shown" has its positive control.
 */

let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack({ TRUST_PROXY: '1' });
});
afterAll(async () => stack?.stop());
afterEach(() => stack.simulator!.sim.faults.clear());

const sim = () => stack.simulator!.sim;
/** Every REST call the simulator answered, member verification included. */
const restCalls = () => sim().calls.list().filter((c) => c.path.includes('/apis/3.0/'));

async function sessionFor(m: DemoMember | TestMember): Promise<string> {
  const res = await fetch(`${stack.url}/api/pod/demo/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(memberAuthentication(stack.simulator!.origin, m as TestMember)),
  });
  expect(res.status).toBe(200);
  return PodSession.parse(await res.json()).token;
}

const get = (path: string, token: string) => fetch(`${stack.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

async function contextFor(m: DemoMember, ticketId: number, query = ''): Promise<TicketContext> {
  const res = await get(`/api/pod/demo/tickets/${ticketId}${query}`, await sessionFor(m));
  expect(res.status).toBe(200);
  return TicketContext.parse(await res.json());
}

async function admin(method: string, path: string, body?: unknown) {
  return fetch(`${stack.url}/api/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** Runs `fn` with the demo tenant changed by `patch`, then puts back what it changed. */
async function withTenant(patch: Record<string, unknown>, fn: () => Promise<void>) {
  const before = await (await admin('GET', '/tenants/demo')).json();
  const put = await admin('PUT', '/tenants/demo', { site: before.siteInput, ...patch, version: before.version });
  expect(put.status).toBe(200);
  try {
    await fn();
  } finally {
    const current = await (await admin('GET', '/tenants/demo')).json();
    const restore = Object.fromEntries(Object.keys(patch).map((k) => [k, before[k]]));
    await admin('PUT', '/tenants/demo', { site: current.siteInput, ...restore, version: current.version });
  }
}

const networkOpsTicketIds = () =>
  sim()
    .world.get(demoCompanyId)!
    .tickets.filter((t) => (t['board'] as { id: number }).id === demoBoardIds.networkOps)
    .map((t) => t.id);

describe('other open tickets: only boards the technician can see and the tenant allows', () => {
  // 1008 is on Help Desk, for Fabrikam, whose open tickets include 1004 and 1017 on Network Operations.
  const ticket = 1008;

  it('shows the restricted technician no ticket of a board ConnectWise hides from them', async () => {
    const context = await contextFor(demoRestrictedTechnician, ticket);
    expect(context.otherOpenTickets.ok).toBe(true);
    const ids = context.otherOpenTickets.ok ? context.otherOpenTickets.data.map((t) => t.id) : [];
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => networkOpsTicketIds().includes(id))).toEqual([]);
    expect(JSON.stringify(context)).not.toContain('Site-to-site VPN down');
  });

  it('shows the unrestricted technician the other board’s tickets (positive control)', async () => {
    const context = await contextFor(demoTechnician, ticket);
    const ids = context.otherOpenTickets.ok ? context.otherOpenTickets.data.map((t) => t.id) : [];
    expect(ids).toContain(demoTicketIds.networkOpsOpen);
  });

  it('reads the list as the member when ConnectWise does not name their hidden boards', async () => {
    const [member] = addTechnicians(sim(), 1, 'noboards');
    const record = sim().world.get(demoCompanyId)!.members.find((m) => m.identifier === member!.identifier)!;
    record.boards = [demoBoardIds.helpDesk];
    record.sendsExcludedBoards = false;
    const token = await sessionFor(member!);
    sim().calls.clear();
    const context = TicketContext.parse(await (await get(`/api/pod/demo/tickets/${ticket}?fresh=1`, token)).json());
    const ids = context.otherOpenTickets.ok ? context.otherOpenTickets.data.map((t) => t.id) : [];
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => networkOpsTicketIds().includes(id))).toEqual([]);
    const listReads = restCalls().filter((c) => c.path.endsWith('/service/tickets') && c.search.includes('closedFlag'));
    expect(listReads.map((c) => c.auth)).not.toContain('api');
    expect(listReads.length).toBe(1);
  });

  it('leaves out tickets of boards the tenant does not enable, whoever looks', async () => {
    await withTenant({ boardIds: [demoBoardIds.helpDesk] }, async () => {
      const context = await contextFor(demoTechnician, ticket);
      const ids = context.otherOpenTickets.ok ? context.otherOpenTickets.data.map((t) => t.id) : [];
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => networkOpsTicketIds().includes(id))).toEqual([]);
    });
  });
});

describe('sections: only what the technician’s own role grants', () => {
  it('says "your ConnectWise role does not include …" for notes and time, with no data', async () => {
    const context = await contextFor(demoNoNotesTechnician, demoTicketIds.helpDeskOpen);
    expect(context.notes).toEqual({ ok: false, error: { code: 'not_in_role', message: expect.stringMatching(/^Your ConnectWise role does not include ticket notes/) } });
    expect(context.time).toEqual({ ok: false, error: { code: 'not_in_role', message: expect.stringMatching(/^Your ConnectWise role does not include time entries/) } });
    // What the role does grant is still there.
    expect(context.contact.ok && context.configurations.ok && context.otherOpenTickets.ok).toBe(true);
    const text = JSON.stringify(context);
    expect(text).not.toContain('Initial troubleshooting');
    expect(text).not.toContain('remote session opened');
  });

  it('shows the same sections to a technician whose role grants them (positive control)', async () => {
    const context = await contextFor(demoTechnician, demoTicketIds.helpDeskOpen);
    expect(context.notes.ok && context.notes.data.items.length).toBeGreaterThan(0);
    expect(context.time.ok && context.time.data.entries).toBeGreaterThan(0);
  });

  it('shows a technician with time at level "My" only their own entries', async () => {
    const instance = sim().world.get(demoCompanyId)!;
    const template = instance.timeEntries.find((e) => e['chargeToId'] === demoTicketIds.helpDeskOpen)!;
    instance.timeEntries.push({
      ...template,
      id: 90_001,
      actualHours: 0.75,
      hoursBilled: 0.75,
      member: { id: demoOwnTimeTechnician.id, identifier: demoOwnTimeTechnician.identifier, name: 'Rita Patel' },
    });
    const own = await contextFor(demoOwnTimeTechnician, demoTicketIds.helpDeskOpen, '?fresh=1');
    expect(own.time.ok).toBe(true);
    if (own.time.ok) {
      expect(own.time.data.entries).toBe(1);
      expect(own.time.data.actualHours).toBe(0.75);
      expect(own.time.data.byMember.map((r) => r.member)).toEqual(['Rita Patel']);
    }
    // Positive control: a role at All sees everyone's, Rita's included.
    const all = await contextFor(demoTechnician, demoTicketIds.helpDeskOpen, '?fresh=1');
    expect(all.time.ok && all.time.data.entries).toBeGreaterThan(1);
    expect(all.time.ok && all.time.data.byMember.map((r) => r.member)).toContain('Rita Patel');
  });

  it('answers the agreements list with not_in_role for a role without Finance › Agreements', async () => {
    const instance = sim().world.get(demoCompanyId)!;
    const role = instance.securityRoles.find((r) => r.id === demoNoNotesTechnician.securityRoleId)!;
    const row = role.settings.find((s) => s.moduleFunctionIdentifier === 'Agreements')!;
    row.inquireLevel = 'None';
    try {
      const [member] = addTechnicians(sim(), 1, 'noagreements');
      instance.members.find((m) => m.identifier === member!.identifier)!.securityRoleId = role.id;
      const res = await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}/agreements`, await sessionFor(member!));
      const body = TicketAgreements.parse(await res.json());
      expect(body.agreements).toMatchObject({ ok: false, error: { code: 'not_in_role' } });
      const control = await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}/agreements`, await sessionFor(demoTechnician));
      expect(TicketAgreements.parse(await control.json()).agreements.ok).toBe(true);
    } finally {
      row.inquireLevel = 'All';
    }
  });

  it('with sectionAccess "apiMember", shows every technician the API member’s sections (the admin’s choice)', async () => {
    await withTenant({ sectionAccess: 'apiMember' }, async () => {
      const view = await (await admin('GET', '/tenants/demo')).json();
      expect(view.sectionAccess).toBe('apiMember');
      const context = await contextFor(demoNoNotesTechnician, demoTicketIds.helpDeskOpen);
      expect(context.notes.ok && context.time.ok).toBe(true);
      // Lists stay within the technician's boards either way.
      const restricted = await contextFor(demoRestrictedTechnician, 1008);
      const ids = restricted.otherOpenTickets.ok ? restricted.otherOpenTickets.data.map((t) => t.id) : [];
      expect(ids).not.toContain(demoTicketIds.networkOpsOpen);
    });
    expect((await (await admin('GET', '/tenants/demo')).json()).sectionAccess).toBe('technician');
  });

  it('reads sections as the member when system/mySecurity gives no answer, so ConnectWise decides', async () => {
    sim().faults.set({ kind: 'server-error', status: 500, path: '*/system/mySecurity' });
    const [member] = addTechnicians(sim(), 2, 'nosecurity');
    const instance = sim().world.get(demoCompanyId)!;
    instance.members.find((m) => m.identifier === member!.identifier)!.securityRoleId = demoNoNotesTechnician.securityRoleId;
    const limited = TicketContext.parse(
      await (await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`, await sessionFor(member!))).json(),
    );
    expect(limited.notes).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(limited.time).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Positive control: a full technician, also without mySecurity, reads them as themselves.
    const [full] = addTechnicians(sim(), 1, 'nosecurityfull');
    const context = TicketContext.parse(
      await (await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`, await sessionFor(full!))).json(),
    );
    expect(context.notes.ok && context.time.ok).toBe(true);
  });

  it('learns the rights once per session: a warm view makes no ConnectWise call', async () => {
    const token = await sessionFor(demoNoNotesTechnician);
    const first = await get(`/api/pod/demo/tickets/1002`, token);
    expect(first.status).toBe(200);
    sim().calls.clear();
    const again = await get(`/api/pod/demo/tickets/1002`, token);
    expect(again.status).toBe(200);
    expect(restCalls()).toEqual([]);
  });
});

describe('warm-up cannot be used against the MSP', () => {
  const framedLoad = (id: number, from: string) =>
    fetch(`${stack.url}/hostedapis/connectwiseiframe/demo?id=${id}&screen=ticket`, {
      headers: { 'Sec-Fetch-Dest': 'iframe', 'X-Forwarded-For': from },
    });

  it('costs ConnectWise at most 2 calls for 10 anonymous loads of one missing ticket', async () => {
    const missing = 888_001;
    sim().calls.clear();
    for (let i = 0; i < 10; i++) expect((await framedLoad(missing, `10.30.0.${i + 1}`)).status).toBe(200);
    // Positive control that a read happened at all, then that no more followed.
    await expect.poll(() => restCalls().length).toBeGreaterThanOrEqual(1);
    await framedLoad(demoTicketIds.closed, '10.30.1.1');
    await expect.poll(() => restCalls().filter((c) => c.path.endsWith(`/service/tickets/${demoTicketIds.closed}`)).length).toBe(1);
    const forMissing = restCalls().filter((c) => c.path.includes(`/${missing}`) || c.search.includes(String(missing)));
    expect(forMissing.length).toBeLessThanOrEqual(2);
    expect(forMissing.map((c) => c.path.replace(/^.*\/apis\/3\.0\//, ''))).toEqual([`service/tickets/${missing}`]);
  });

  it('reads only the ticket on a page load; its other parts start once the ticket exists', async () => {
    const id = 1019;
    sim().calls.clear();
    await framedLoad(id, '10.30.2.1');
    await expect.poll(() => restCalls().some((c) => c.path.endsWith(`/service/tickets/${id}/allNotes`))).toBe(true);
    const order = restCalls()
      .map((c) => c.path.replace(/^.*\/apis\/3\.0\//, ''))
      .filter((p) => p.startsWith(`service/tickets/${id}`));
    expect(order[0]).toBe(`service/tickets/${id}`);
  });

  it('remembers a missing ticket on the data route too: the second request costs nothing', async () => {
    const token = await sessionFor(demoTechnician);
    const missing = 888_002;
    sim().calls.clear();
    const first = await get(`/api/pod/demo/tickets/${missing}`, token);
    expect(ApiErrorBody.parse(await first.json()).error.code).toBe('ticket_not_found');
    expect(restCalls().length).toBeGreaterThan(0);
    sim().calls.clear();
    const second = await get(`/api/pod/demo/tickets/${missing}`, token);
    expect(second.status).toBe(404);
    expect(ApiErrorBody.parse(await second.json()).error.code).toBe('ticket_not_found');
    expect(restCalls()).toEqual([]);
    // Asking again on purpose looks again.
    await get(`/api/pod/demo/tickets/${missing}?fresh=1`, token);
    expect(restCalls().length).toBeGreaterThan(0);
  });

  it('does not count loads of a ticket already read against the company’s budget', async () => {
    const from = (i: number) => `10.31.${Math.floor(i / 20)}.${(i % 20) + 1}`;
    // 130 loads of a ticket read moments ago start no read, so the budget (120 a minute) is untouched…
    for (let i = 0; i < 130; i++) await framedLoad(demoTicketIds.helpDeskOpen, from(i));
    sim().calls.clear();
    // …and a load of a ticket nobody read yet still warms up.
    await framedLoad(1024, '10.32.0.1');
    await expect.poll(() => restCalls().filter((c) => c.path.endsWith('/service/tickets/1024')).length).toBe(1);
  });
});

describe('revocation', () => {
  it('after ConnectWise refuses a member, nothing cached lets them in, and no new token is issued', async () => {
    const [member] = addTechnicians(sim(), 1, 'leaver');
    const token = await sessionFor(member!);
    const url = `/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`;
    expect((await get(url, token)).status).toBe(200);
    // The member is deactivated in ConnectWise.
    sim().world.get(demoCompanyId)!.members.find((m) => m.identifier === member!.identifier)!.inactive = true;
    const refreshed = await get(`${url}?fresh=1`, token);
    expect(ApiErrorBody.parse(await refreshed.json()).error.code).toBe('session_expired');
    // The cached "may see" is gone: the plain view asks ConnectWise again, and is refused.
    sim().calls.clear();
    const plain = await get(url, token);
    expect(ApiErrorBody.parse(await plain.json()).error.code).toBe('session_expired');
    expect(restCalls().some((c) => c.auth !== 'api' && c.status === 401)).toBe(true);
    // The verification verdict is gone too: no new token.
    const renew = await fetch(`${stack.url}/api/pod/demo/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(memberAuthentication(stack.simulator!.origin, member!)),
    });
    expect(renew.status).toBe(401);
    expect(await renew.text()).not.toContain('"token"');
  });

  it('keeps an active member’s session working after a refresh (positive control)', async () => {
    const [member] = addTechnicians(sim(), 1, 'stayer');
    const token = await sessionFor(member!);
    const url = `/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`;
    expect((await get(`${url}?fresh=1`, token)).status).toBe(200);
    expect((await get(url, token)).status).toBe(200);
    expect((await fetch(`${stack.url}/api/pod/demo/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(memberAuthentication(stack.simulator!.origin, member!)),
    })).status).toBe(200);
  });
});
