import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { SolvedBefore } from '../../../shared/solved-before.ts';
import { TicketContext } from '../../../shared/ticket-context.ts';
import { demoNoNotesTechnician, demoRestrictedTechnician, demoTechnician, type DemoMember } from '../../../server/simulated-connectwise/demo.ts';
import { solvedBeforeLabels, solvedClosedSeeds } from '../../../server/simulated-connectwise/fixtures/solved-before.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { memberAuthentication } from '../../support/members.ts';

/**
 * Solved before over real HTTP, against the simulated ConnectWise served over HTTP: what the
 * card gets, what it costs ConnectWise (one candidate query per company, resolutions of the
 * shown hits only, nothing again while cached), whose rights apply, and a ConnectWise failure
 * kept inside the answer.
 */

let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack();
});
afterAll(async () => stack?.stop());
afterEach(() => stack.simulator!.sim.faults.clear());

const sim = () => stack.simulator!.sim;
const closed = new Map(solvedClosedSeeds.map((s) => [s.id, s]));
const labelOf = (id: number) => solvedBeforeLabels.find((l) => l.openTicketId === id)!;

async function sessionFor(m: DemoMember): Promise<string> {
  const res = await fetch(`${stack.url}/api/pod/demo/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(memberAuthentication(stack.simulator!.origin, m)),
  });
  expect(res.status).toBe(200);
  return PodSession.parse(await res.json()).token;
}

const solved = (ticketId: number, token: string, fresh = false) =>
  fetch(`${stack.url}/api/pod/demo/tickets/${ticketId}/solved-before${fresh ? '?fresh=1' : ''}`, { headers: { Authorization: `Bearer ${token}` } });

async function hitsOf(ticketId: number, token: string) {
  const res = await solved(ticketId, token);
  expect(res.status).toBe(200);
  const body = SolvedBefore.parse(await res.json());
  if (!body.hits.ok) throw new Error(`search failed: ${body.hits.error.message}`);
  return { body, hits: body.hits.data };
}

/** The candidate query: the company's closed tickets (the other list of service/tickets asks for open ones). */
const candidateQueries = () => sim().calls.list({ path: 'service/tickets' }).filter((c) => decodeURIComponent(c.search).includes('closedFlag=true'));
const notesReads = () => sim().calls.list({ path: 'service/tickets/*/allNotes' });

async function admin(method: string, path: string, body?: unknown) {
  return fetch(`${stack.url}/api/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

describe('GET /api/pod/:companyId/tickets/:ticketId/solved-before', () => {
  it("answers the company's related resolved tickets with their resolutions, never the ticket itself or another company's", async () => {
    const token = await sessionFor(demoTechnician);
    sim().calls.clear();
    const { body, hits } = await hitsOf(1001, token);

    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(5);
    expect(hits.map((h) => h.id)).not.toContain(1001);
    const related = labelOf(1001).related;
    expect(hits.slice(0, 3).every((h) => related.includes(h.id))).toBe(true);
    for (const hit of hits) expect(closed.get(hit.id)?.company ?? 19298).toBe(19298);
    // Older than 12 months: looks related, never offered.
    expect(hits.map((h) => h.id)).not.toContain(3015);
    expect(body.searched).toBeGreaterThan(20);

    const top = hits[0]!;
    expect(top.why.join(' ')).toMatch(/same configuration CD-RECEPTION-PRN|matches: /);
    expect(top.board).toBe('Help Desk');
    expect(top.resolvedBy).toBeDefined();
    expect(top.closedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    if (!top.resolution.ok || top.resolution.data === null) throw new Error('no resolution');
    expect(top.resolution.data.text).toBe(closed.get(top.id)!.resolution);
  });

  it('costs one candidate query per company and reads resolutions for the shown hits only; a warm view asks for neither again', async () => {
    const token = await sessionFor(demoTechnician);
    sim().calls.clear();
    const cold = await hitsOf(1011, token);
    const queries = candidateQueries();
    expect(queries).toHaveLength(1);
    const search = new URLSearchParams(queries[0]!.search);
    expect(search.get('fields')).toBe('id,summary,board,company,type,subType,item,closedDate,closedBy,resolvedBy');
    expect(search.get('pageSize')).toBe('500');
    expect(search.get('conditions')).toMatch(/^company\/id=19301 and closedFlag=true and closedDate>=\[\d{4}-\d\d-\d\dT[\d:]+Z\]$/);
    const notesFor = notesReads().map((c) => Number(/tickets\/(\d+)\//.exec(c.path)?.[1]));
    expect(notesFor.sort()).toEqual(cold.hits.map((h) => h.id).sort());

    sim().calls.clear();
    const warm = await hitsOf(1011, token);
    expect(warm.hits.map((h) => h.id)).toEqual(cold.hits.map((h) => h.id));
    expect(candidateQueries()).toHaveLength(0);
    expect(notesReads()).toHaveLength(0);
    expect(warm.body.meta.fromCache).toBe(true);

    // Another ticket of the same company shares the index.
    sim().calls.clear();
    await hitsOf(1017, token);
    expect(candidateQueries()).toHaveLength(0);
    expect(sim().calls.count({ path: 'service/tickets/*/allNotes' })).toBeGreaterThan(0);

    // fresh=1 (the refresh control) reads the company again.
    sim().calls.clear();
    expect((await solved(1011, token, true)).status).toBe(200);
    expect(candidateQueries()).toHaveLength(1);
  });

  it('shows a technician only hits on boards ConnectWise lets them see, and refuses a ticket they cannot read', async () => {
    // Positive control: for a technician who sees every board, this Help Desk ticket's hits include a Network Operations one.
    const all = await hitsOf(3201, await sessionFor(demoTechnician));
    expect(all.hits.some((h) => h.board === 'Network Operations')).toBe(true);

    const token = await sessionFor(demoRestrictedTechnician); // Help Desk only
    sim().calls.clear();
    const { hits } = await hitsOf(3201, token);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.board === 'Help Desk')).toBe(true);
    // ConnectWise was asked, as the member, about the hits (the same check as the ticket itself).
    expect(sim().calls.list({ path: 'service/tickets/*' }).filter((c) => c.auth.startsWith('member')).length).toBeGreaterThan(hits.length);

    const refused = await solved(1004, token); // a Network Operations ticket
    expect(refused.status).toBe(403);
    expect(ApiErrorBody.parse(await refused.json()).error.code).toBe('ticket_forbidden');
  });

  it('refuses a technician whose role does not include ticket notes, before any search', async () => {
    const token = await sessionFor(demoNoNotesTechnician);
    sim().calls.clear();
    const res = await solved(1002, token);
    expect(res.status).toBe(403);
    const body = ApiErrorBody.parse(await res.json());
    expect(body.error.code).toBe('ticket_forbidden');
    expect(body.error.message).toContain('ticket notes');
    expect(candidateQueries()).toHaveLength(0);
    // Positive control: the same ticket for a technician with notes.
    expect((await solved(1002, await sessionFor(demoTechnician))).status).toBe(200);
  });

  it("keeps to the tenant's enabled boards", async () => {
    const tenant = await (await admin('GET', '/tenants/demo')).json();
    expect((await admin('PUT', '/tenants/demo', { site: tenant.siteInput, boardIds: [1], version: tenant.version })).status).toBe(200);
    try {
      const token = await sessionFor(demoTechnician);
      const { hits } = await hitsOf(1001, token);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((h) => h.board === 'Help Desk')).toBe(true);
      const offBoard = await solved(1013, token); // Network Operations
      expect(offBoard.status).toBe(403);
      expect(ApiErrorBody.parse(await offBoard.json()).error.code).toBe('board_not_enabled');
    } finally {
      const current = await (await admin('GET', '/tenants/demo')).json();
      await admin('PUT', '/tenants/demo', { site: current.siteInput, boardIds: [], version: current.version });
    }
  });

  it('keeps a ConnectWise failure inside the answer: the search says why, the ticket view is untouched', async () => {
    const token = await sessionFor(demoTechnician);
    // Tailspin's closed tickets were never indexed in this file, so the search must ask ConnectWise.
    sim().faults.set({ kind: 'html-login', path: 'service/tickets' });
    const res = await solved(1007, token);
    expect(res.status).toBe(200);
    const body = SolvedBefore.parse(await res.json());
    expect(body.hits.ok).toBe(false);
    if (!body.hits.ok) expect(body.hits.error.code).toBe('unavailable');
    sim().faults.clear();

    const context = await fetch(`${stack.url}/api/pod/demo/tickets/1007`, { headers: { Authorization: `Bearer ${token}` } });
    expect(context.status).toBe(200);
    TicketContext.parse(await context.json());
    // The failure was not cached: the next ask searches again and succeeds.
    const again = SolvedBefore.parse(await (await solved(1007, token)).json());
    expect(again.hits.ok).toBe(true);
  });
});
