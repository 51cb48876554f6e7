import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { TicketAgreements, TicketContext, TicketSummary } from '../../../shared/ticket-context.ts';
import {
  demoAdmin,
  demoApiMember,
  demoBoardIds,
  demoForgedMemberHash,
  demoLimitedApiMember,
  demoRestrictedTechnician,
  demoTechnician,
  demoTicketIds,
  type DemoMember,
} from '../../../server/simulated-connectwise/demo.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { memberAuthentication } from '../../support/members.ts';

/**
 * The pod API on a real port, against the simulated ConnectWise served over HTTP: the member
 * is proved before anything, and ticket data goes out only to a technician ConnectWise lets
 * read that ticket.
 */

let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack();
});
afterAll(async () => stack?.stop());
afterEach(() => stack.simulator!.sim.faults.clear());

const auth = (m: DemoMember, overrides: Record<string, unknown> = {}) => ({
  ...memberAuthentication(stack.simulator!.origin, m),
  ...overrides,
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(res: Response) {
  const body = ApiErrorBody.parse(await res.json());
  return { status: res.status, code: body.error.code, message: body.error.message };
}

async function sessionFor(m: DemoMember): Promise<string> {
  const res = await post('/api/pod/demo/session', auth(m));
  expect(res.status).toBe(200);
  return PodSession.parse(await res.json()).token;
}

const get = (path: string, token?: string) =>
  fetch(`${stack.url}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

async function admin(method: string, path: string, body?: unknown) {
  return fetch(`${stack.url}/api/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** Runs `fn` with the demo tenant switched to another API member's keys, then switches back. */
async function withApiMember(member: { identifier: string; publicKey: string; privateKey: string }, fn: () => Promise<void>) {
  const tenant = await (await admin('GET', '/tenants/demo')).json();
  // The member ID changes with the keys: the save tests them together before storing them.
  const put = await admin('PUT', '/tenants/demo', {
    site: tenant.siteInput,
    publicKey: member.publicKey,
    privateKey: member.privateKey,
    apiMemberId: member.identifier,
    version: tenant.version,
  });
  expect(put.status).toBe(200);
  try {
    await fn();
  } finally {
    const current = await (await admin('GET', '/tenants/demo')).json();
    await admin('PUT', '/tenants/demo', {
      site: current.siteInput,
      publicKey: demoApiMember.publicKey,
      privateKey: demoApiMember.privateKey,
      apiMemberId: demoApiMember.identifier,
      version: current.version,
    });
  }
}

/** Runs `fn` with the demo tenant's board allowlist set to `boardIds`, then clears it. */
async function withBoards(boardIds: number[], fn: () => Promise<void>) {
  const tenant = await (await admin('GET', '/tenants/demo')).json();
  const put = await admin('PUT', '/tenants/demo', { site: tenant.siteInput, boardIds, version: tenant.version });
  expect(put.status).toBe(200);
  try {
    await fn();
  } finally {
    const current = await (await admin('GET', '/tenants/demo')).json();
    await admin('PUT', '/tenants/demo', { site: current.siteInput, boardIds: [], version: current.version });
  }
}

describe('POST /api/pod/:companyId/session', () => {
  it('verifies a real member and answers a short-lived token bound to them', async () => {
    const res = await post('/api/pod/demo/session', auth(demoTechnician));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(demoTechnician.memberHash);
    const session = PodSession.parse(JSON.parse(text));
    expect(session.member.identifier.toLowerCase()).toBe(demoTechnician.identifier);
    expect(session.member.name).toContain(demoTechnician.lastName);
    const ttl = Date.parse(session.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });

  it('refuses a forged memberHash', async () => {
    const res = await post('/api/pod/demo/session', auth(demoTechnician, { memberHash: demoForgedMemberHash }));
    expect(await errorOf(res)).toMatchObject({ status: 401, code: 'member_unverified' });
  });

  it('refuses a member claiming to be someone else with their own hash', async () => {
    const res = await post('/api/pod/demo/session', auth(demoTechnician, { memberid: demoRestrictedTechnician.identifier }));
    expect(await errorOf(res)).toMatchObject({ status: 401, code: 'member_unverified' });
  });

  it('refuses credentials from another ConnectWise company', async () => {
    const res = await post('/api/pod/demo/session', auth(demoTechnician, { companyid: 'othermsp' }));
    const err = await errorOf(res);
    expect(err).toMatchObject({ status: 401, code: 'member_unverified' });
    expect(err.message).toContain('othermsp');
  });

  it('answers bad_request for a malformed or oversized body, naming what is wrong', async () => {
    const missing = await errorOf(await post('/api/pod/demo/session', { companyid: 'demo' }));
    expect(missing).toMatchObject({ status: 400, code: 'bad_request' });
    expect(missing.message).toMatch(/memberid/);
    expect(await errorOf(await post('/api/pod/demo/session', '{not json'))).toMatchObject({ status: 400, code: 'bad_request' });
    const huge = await post('/api/pod/demo/session', auth(demoTechnician, { memberContext: 'x'.repeat(40_000) }));
    expect(await errorOf(huge)).toMatchObject({ status: 413, code: 'bad_request' });
  });

  it("starts the member's own read of the ticket it names, once the member is verified", async () => {
    const sim = stack.simulator!.sim;
    sim.calls.clear();
    const res = await post('/api/pod/demo/session?ticket=1003', auth(demoTechnician));
    expect(res.status).toBe(200);
    const memberReads = () => sim.calls.list().filter((c) => c.auth !== 'api' && c.path.endsWith('/service/tickets/1003'));
    await expect.poll(() => memberReads().length).toBe(1);
    // The data request that follows is answered from it: no second read as the member.
    const token = PodSession.parse(await res.json()).token;
    expect((await get('/api/pod/demo/tickets/1003', token)).status).toBe(200);
    expect(memberReads()).toHaveLength(1);
  });

  it('starts nothing for a member it cannot verify, and refuses a malformed ticket', async () => {
    const sim = stack.simulator!.sim;
    sim.calls.clear();
    const forged = await post('/api/pod/demo/session?ticket=1005', auth(demoTechnician, { memberHash: demoForgedMemberHash }));
    expect(await errorOf(forged)).toMatchObject({ status: 401, code: 'member_unverified' });
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.calls.list().filter((c) => c.path.includes('/service/tickets/'))).toEqual([]);
    const bad = await errorOf(await post('/api/pod/demo/session?ticket=12x', auth(demoTechnician)));
    expect(bad).toMatchObject({ status: 400, code: 'bad_request' });
    expect(bad.message).toContain('ticket');
  });

  it('answers not_configured for an unknown company', async () => {
    expect(await errorOf(await post('/api/pod/nosuchco/session', auth(demoTechnician)))).toMatchObject({ status: 404, code: 'not_configured' });
  });

  it('fails closed when ConnectWise cannot be reached', async () => {
    stack.simulator!.sim.faults.set({ kind: 'server-error', status: 503, path: '*/system/myMembers/info' });
    // A member nobody verified yet, so no cached verification answers for ConnectWise.
    const res = await post('/api/pod/demo/session', auth(demoRestrictedTechnician, { memberContext: 'web2' }));
    const err = await errorOf(res);
    expect([502, 504]).toContain(err.status);
    expect(err.code).toBe('connectwise_unreachable');
  });
});

describe('GET /api/pod/:companyId/tickets/:ticketId', () => {
  it('returns the whole normalised context to a verified technician, the ticket’s own agreement included', async () => {
    const token = await sessionFor(demoTechnician);
    const res = await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`, token);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).not.toHaveProperty('agreements');
    const context = TicketContext.parse(body);
    expect(context.ticket.id).toBe(demoTicketIds.helpDeskOpen);
    expect(context.ticket.agreement).toMatchObject({ id: expect.any(Number), name: expect.any(String), type: expect.any(String) });
    expect(context.company.ok).toBe(true);
    expect(context.contact.ok).toBe(true);
    expect(context.notes.ok).toBe(true);
  });

  it('returns the summary alone for the header', async () => {
    const token = await sessionFor(demoTechnician);
    const res = await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}/summary`, token);
    expect(TicketSummary.parse(await res.json()).ticket.id).toBe(demoTicketIds.helpDeskOpen);
  });

  it('requires the Bearer session of the same company', async () => {
    expect(await errorOf(await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`))).toMatchObject({ status: 401, code: 'session_expired' });
    expect(await errorOf(await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`, 'forged.token.value'))).toMatchObject({
      status: 401,
      code: 'session_expired',
    });
  });

  it.each(['abc', '0', '-4', '1.5', '99999999999', '2147483648'])('answers 400 for the ticket id %s', async (id) => {
    const token = await sessionFor(demoTechnician);
    expect(await errorOf(await get(`/api/pod/demo/tickets/${id}`, token))).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('answers ticket_not_found for a ticket that does not exist', async () => {
    const token = await sessionFor(demoTechnician);
    expect(await errorOf(await get(`/api/pod/demo/tickets/${demoTicketIds.missing}`, token))).toMatchObject({ status: 404, code: 'ticket_not_found' });
  });

  it('answers ticket_forbidden when the member may not see the ticket, even though the API member can', async () => {
    const token = await sessionFor(demoRestrictedTechnician);
    const err = await errorOf(await get(`/api/pod/demo/tickets/${demoTicketIds.networkOpsOpen}`, token));
    expect(err).toMatchObject({ status: 403, code: 'ticket_forbidden' });
    // Their own board still works.
    expect((await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`, token)).status).toBe(200);
  });

  it('enforces the tenant\'s board allowlist', async () => {
    const token = await sessionFor(demoTechnician);
    await withBoards([demoBoardIds.helpDesk], async () => {
      expect(await errorOf(await get(`/api/pod/demo/tickets/${demoTicketIds.networkOpsOpen}`, token))).toMatchObject({
        status: 403,
        code: 'board_not_enabled',
      });
      expect((await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`, token)).status).toBe(200);
    });
  });

  it('shows the whole view with an API member whose role cannot read agreements: the view reads none', async () => {
    await withApiMember(demoLimitedApiMember, async () => {
      const token = await sessionFor(demoTechnician);
      const res = await get(`/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}?fresh=1`, token);
      expect(res.status).toBe(200);
      const context = TicketContext.parse(await res.json());
      for (const part of [context.company, context.contact, context.configurations, context.notes, context.time, context.otherOpenTickets]) {
        expect(part.ok).toBe(true);
      }
      expect(context.ticket.agreement?.id).toEqual(expect.any(Number));
    });
  });

  it('asks the pod to renew when ConnectWise stops accepting the member\'s hash, then refuses the stale hash', async () => {
    const member = stack.simulator!.sim.world.get('demo')!.members.find((m) => m.identifier === demoAdmin.identifier)!;
    const token = await sessionFor(demoAdmin);
    const issued = [...member.memberHashes];
    member.memberHashes = ['a-new-sign-in-hash'];
    try {
      const err = await errorOf(await get(`/api/pod/demo/tickets/${demoTicketIds.closed}`, token));
      expect(err).toMatchObject({ status: 401, code: 'session_expired' });
      // The verification cache may still hold the old answer for a few minutes, so prove the
      // stale hash is refused with a member the server has not verified yet in this form.
      const stale = await errorOf(await post('/api/pod/demo/session', auth(demoAdmin, { memberContext: 'stale-ctx' })));
      expect(stale).toMatchObject({ status: 401, code: 'member_unverified' });
    } finally {
      member.memberHashes = issued;
    }
  });

  it('says ConnectWise is unreachable, without passing its body through', async () => {
    const token = await sessionFor(demoTechnician);
    stack.simulator!.sim.faults.set({ kind: 'html-login', path: '*/service/tickets/*' });
    const res = await get(`/api/pod/demo/tickets/${demoTicketIds.closed}?fresh=1`, token);
    const text = await res.text();
    expect(text).not.toMatch(/<html|<form/i);
    const err = ApiErrorBody.parse(JSON.parse(text));
    expect(err.error.code).toBe('connectwise_unreachable');
  });
});

describe('GET /api/pod/:companyId/tickets/:ticketId/agreements', () => {
  const path = (id: number | string, query = '') => `/api/pod/demo/tickets/${id}/agreements${query}`;
  const sim = () => stack.simulator!.sim;
  const agreementCalls = () => sim().calls.list().filter((c) => c.path.endsWith('/finance/agreements'));

  it('answers the active agreements of the ticket’s company to a verified technician, uncached by the browser', async () => {
    const token = await sessionFor(demoTechnician);
    const res = await get(path(demoTicketIds.helpDeskOpen, '?fresh=1'), token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const answer = TicketAgreements.parse(await res.json());
    expect(answer.agreements.ok).toBe(true);
    if (answer.agreements.ok) {
      expect(answer.agreements.data.length).toBeGreaterThan(0);
      expect(answer.agreements.data.every((a) => a.status === 'Active')).toBe(true);
    }
  });

  it('requires the Bearer session of the same company', async () => {
    expect(await errorOf(await get(path(demoTicketIds.helpDeskOpen)))).toMatchObject({ status: 401, code: 'session_expired' });
    expect(await errorOf(await get(path(demoTicketIds.helpDeskOpen), 'forged.token.value'))).toMatchObject({
      status: 401,
      code: 'session_expired',
    });
  });

  it('answers ticket_forbidden, and no list, when the member may not see the ticket', async () => {
    const token = await sessionFor(demoRestrictedTechnician);
    sim().calls.clear();
    const res = await get(path(demoTicketIds.networkOpsOpen, '?fresh=1'), token);
    const text = await res.text();
    expect(res.status).toBe(403);
    expect(ApiErrorBody.parse(JSON.parse(text)).error.code).toBe('ticket_forbidden');
    expect(text).not.toMatch(/Fabrikam/);
    // Their own board still works.
    expect((await get(path(demoTicketIds.helpDeskOpen), token)).status).toBe(200);
  });

  it('enforces the tenant\'s board allowlist', async () => {
    const token = await sessionFor(demoTechnician);
    await withBoards([demoBoardIds.helpDesk], async () => {
      expect(await errorOf(await get(path(demoTicketIds.networkOpsOpen), token))).toMatchObject({ status: 403, code: 'board_not_enabled' });
      expect((await get(path(demoTicketIds.helpDeskOpen), token)).status).toBe(200);
    });
  });

  it('answers ticket_not_found for a ticket that does not exist, and 400 for a bad id or fresh flag', async () => {
    const token = await sessionFor(demoTechnician);
    expect(await errorOf(await get(path(demoTicketIds.missing), token))).toMatchObject({ status: 404, code: 'ticket_not_found' });
    expect(await errorOf(await get(path('0'), token))).toMatchObject({ status: 400, code: 'bad_request' });
    expect(await errorOf(await get(path(demoTicketIds.helpDeskOpen, '?fresh=yes'), token))).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('serves a second request within the cache life without reading the list again, and re-reads with fresh', async () => {
    const token = await sessionFor(demoTechnician);
    await get(path(demoTicketIds.closed, '?fresh=1'), token);
    sim().calls.clear();
    const warm = TicketAgreements.parse(await (await get(path(demoTicketIds.closed), token)).json());
    expect(warm.meta.fromCache).toBe(true);
    expect(agreementCalls()).toHaveLength(0);
    const fresh = TicketAgreements.parse(await (await get(path(demoTicketIds.closed, '?fresh=1'), token)).json());
    expect(fresh.meta.fromCache).toBe(false);
    expect(agreementCalls()).toHaveLength(1);
  });

  it('answers the demo no-agreements API member’s 403 as the list’s error, in plain words', async () => {
    await withApiMember(demoLimitedApiMember, async () => {
      const token = await sessionFor(demoTechnician);
      const res = await get(path(demoTicketIds.helpDeskOpen, '?fresh=1'), token);
      expect(res.status).toBe(200);
      const answer = TicketAgreements.parse(await res.json());
      expect(answer.agreements).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // The classifier's words for a technician, not ConnectWise's own.
      if (!answer.agreements.ok) expect(answer.agreements.error.message).toMatch(/security role lacks a right/i);
    });
  });

  it('answers an empty list for a ticket without a company', async () => {
    const record = sim().world.get('demo')!.tickets.find((t) => t.id === demoTicketIds.noContact)!;
    const company = record['company'] ?? null;
    record['company'] = null;
    try {
      const token = await sessionFor(demoTechnician);
      const answer = TicketAgreements.parse(await (await get(path(demoTicketIds.noContact, '?fresh=1'), token)).json());
      expect(answer.agreements).toEqual({ ok: true, data: [] });
    } finally {
      record['company'] = company;
    }
  });
});
