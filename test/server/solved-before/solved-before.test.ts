import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConnectWise, type ConnectWise } from '../../../server/connectwise/connectwise.ts';
import { demoClientId, demoCompanyId } from '../../../server/simulated-connectwise/demo.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import type { SolvedBeforeRights } from '../../../server/solved-before/rights.ts';
import { createSolvedBefore } from '../../../server/solved-before/solved-before.ts';
import { createTicketContextLoader } from '../../../server/ticket-context/loader.ts';
import { SolvedBefore } from '../../../shared/solved-before.ts';
import { demoConnection as tenant } from '../../support/tenant-connections.ts';

/**
 * The Solved-before service against the simulated ConnectWise (msw), through the real
 * ConnectWise client: its cache (single-flight, the 10-minute lifetime, the memory bound),
 * the 12-month window and what a failure does.
 */

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

let connectwise: ConnectWise;
beforeEach(async () => {
  sim.reset();
  connectwise = createConnectWise({ allowPrivateNetwork: false, defaultClientId: demoClientId });
  await connectwise.api(tenant).apiBase();
  sim.calls.clear();
});
afterEach(async () => {
  sim.faults.clear();
  await connectwise.close();
});

const everything: SolvedBeforeRights = { grants: { serviceTickets: true, notes: true }, tenantBoards: [], mayRead: () => true };
const candidateQueries = () => sim.calls.list({ path: 'service/tickets' }).filter((c) => decodeURIComponent(c.search).includes('closedFlag=true'));

function service(options: Partial<Parameters<typeof createSolvedBefore>[0]> = {}) {
  return createSolvedBefore({ connectwise, loader: createTicketContextLoader({ connectwise }), ...options });
}

describe('solved-before service', () => {
  it('builds a company index once for concurrent searches of its tickets', async () => {
    const solved = service();
    const answers = await Promise.all([solved.find(tenant, 1001, everything), solved.find(tenant, 1015, everything), solved.find(tenant, 1001, everything)]);
    for (const a of answers) expect(SolvedBefore.parse(a).hits.ok).toBe(true);
    expect(candidateQueries()).toHaveLength(1);
  });

  it('reuses the index within its lifetime, and reads the company again when the memory bound evicts it', async () => {
    const solved = service();
    await solved.find(tenant, 1001, everything);
    await solved.find(tenant, 1001, everything);
    expect(candidateQueries()).toHaveLength(1);

    const tiny = service({ maxBytes: 2_000 }); // smaller than one company's rows
    await tiny.find(tenant, 1001, everything);
    await tiny.find(tenant, 1001, everything);
    expect(candidateQueries()).toHaveLength(3);
  });

  it('searches only the last 12 months of closed tickets', async () => {
    const solved = service({ now: () => Date.now() + 200 * 86_400_000 }); // 200 days from now: most of the set is older
    const answer = await solved.find(tenant, 1001, everything);
    const since = /closedDate>=\[([^\]]+)\]/.exec(decodeURIComponent(candidateQueries()[0]!.search))?.[1];
    expect(Date.parse(since!)).toBeGreaterThan(Date.now() - 170 * 86_400_000);
    // Positive control: today the same search holds more of the company's history.
    const today = await service().find(tenant, 1001, everything);
    expect(answer.searched).toBeLessThan(today.searched);
  });

  it('answers a ConnectWise failure as the search’s error and does not keep it', async () => {
    const solved = service();
    sim.faults.set({ kind: 'malformed-json', path: 'service/tickets' });
    const failed = await solved.find(tenant, 1001, everything);
    expect(failed.hits).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    sim.faults.clear();
    const again = await solved.find(tenant, 1001, everything);
    expect(again.hits.ok).toBe(true);
  });

  it('shows a hit whose resolution cannot be read, saying why', async () => {
    const solved = service();
    sim.faults.set({ kind: 'server-error', status: 500, path: 'service/tickets/3002/allNotes' });
    const answer = await solved.find(tenant, 1001, everything);
    if (!answer.hits.ok) throw new Error('search failed');
    const hit = answer.hits.data.find((h) => h.id === 3002);
    expect(hit?.resolution).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(answer.hits.data.some((h) => h.id !== 3002 && h.resolution.ok)).toBe(true);
  });

  it('refuses a role without ticket notes before reading anything', async () => {
    const noNotes: SolvedBeforeRights = { ...everything, grants: { serviceTickets: true, notes: false } };
    await expect(service().find(tenant, 1001, noNotes)).rejects.toMatchObject({ code: 'ticket_forbidden' });
    expect(sim.calls.list().filter((c) => c.path.includes('/apis/3.0/'))).toEqual([]);
    // Positive control: with both grants the same search reads ConnectWise.
    await service().find(tenant, 1001, everything);
    expect(candidateQueries()).toHaveLength(1);
  });

  it('answers no hits, at no search cost, for a ticket without a company', async () => {
    const instance = sim.world.get(demoCompanyId)!;
    const ticket = instance.tickets.find((t) => t.id === 1009)!;
    ticket['company'] = null;
    const answer = await service().find(tenant, 1009, everything);
    expect(answer.hits).toEqual({ ok: true, data: [] });
    expect(candidateQueries()).toHaveLength(0);
  });
});
