import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConnectWise } from '../../../server/connectwise/connectwise.ts';
import { demoRestrictedTechnician, demoTechnician, demoTicketIds } from '../../../server/simulated-connectwise/demo.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import { createTicketContextLoader } from '../../../server/ticket-context/loader.ts';
import { createWarmUp, type WarmUpOutcome } from '../../../server/ticket-context/warm-up.ts';
import { demoConnection } from '../../support/tenant-connections.ts';
import { memberCredentials } from '../../support/members.ts';

// Warm-ups fill the loader's caches ahead of the pod's data requests, against the simulated
// ConnectWise (msw) through the real ConnectWise client.

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const restCalls = () => sim.calls.list().filter((c) => c.path.includes('/apis/3.0/') && !c.path.endsWith('/system/myMembers/info'));

function setup() {
  const loader = createTicketContextLoader({ connectwise: createConnectWise({ allowPrivateNetwork: true, circuitBreaker: false }) });
  const outcomes: { kind: 'page' | 'session'; outcome: WarmUpOutcome }[] = [];
  let settled: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    settled = resolve;
  });
  const warmUp = createWarmUp({
    loader,
    onOutcome: (kind, outcome) => {
      outcomes.push({ kind, outcome });
      settled();
    },
  });
  return { loader, warmUp, outcomes, done };
}

beforeEach(() => {
  sim.faults.clear();
  sim.calls.clear();
});

describe('warm-up on page load', () => {
  it('reads the ticket and its parts, so the view that follows costs no ConnectWise call', async () => {
    const { loader, warmUp, outcomes, done } = setup();
    warmUp.page(demoConnection, demoTicketIds.helpDeskOpen);
    await done;
    expect(outcomes).toEqual([{ kind: 'page', outcome: 'loaded' }]);
    expect(restCalls().length).toBeGreaterThan(0);
    expect(restCalls().every((c) => c.auth === 'api')).toBe(true);

    sim.calls.clear();
    const context = await loader.context(demoConnection, demoTicketIds.helpDeskOpen);
    expect(context.ticket.id).toBe(demoTicketIds.helpDeskOpen);
    expect(context.meta.fromCache).toBe(true);
    expect(restCalls()).toEqual([]);
  });

  it('hands the data request the reads still in flight instead of starting them again', async () => {
    const { loader, warmUp } = setup();
    sim.faults.set({ kind: 'latency', ms: 50 });
    warmUp.page(demoConnection, demoTicketIds.helpDeskOpen);
    await loader.context(demoConnection, demoTicketIds.helpDeskOpen);
    const keys = restCalls().map((c) => `${c.path}${c.search}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('drops a failure quietly: nothing is thrown at the page, and nothing failed is cached', async () => {
    const { loader, warmUp, outcomes, done } = setup();
    sim.faults.set({ kind: 'server-error', status: 503 });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      warmUp.page(demoConnection, demoTicketIds.helpDeskOpen);
      await done;
      expect(outcomes).toEqual([{ kind: 'page', outcome: 'failed' }]);
      sim.faults.clear();
      const context = await loader.context(demoConnection, demoTicketIds.helpDeskOpen);
      expect(context.ticket.id).toBe(demoTicketIds.helpDeskOpen);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('warm-up after a session is verified', () => {
  it("starts the member's own read of the ticket, so the access check that follows is answered from it", async () => {
    const { loader, warmUp, outcomes, done } = setup();
    warmUp.session(demoConnection, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen);
    await done;
    expect(outcomes).toEqual([{ kind: 'session', outcome: 'loaded' }]);
    expect(restCalls().some((c) => c.auth !== 'api')).toBe(true);

    sim.calls.clear();
    await loader.memberAccess(demoConnection, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen);
    await loader.context(demoConnection, demoTicketIds.helpDeskOpen);
    expect(restCalls()).toEqual([]);
  });

  it('never lets a refused member through: the refusal is not kept, the next check asks ConnectWise again', async () => {
    const { loader, warmUp, outcomes, done } = setup();
    warmUp.session(demoConnection, memberCredentials(demoRestrictedTechnician), demoTicketIds.networkOpsOpen);
    await done;
    expect(outcomes).toEqual([{ kind: 'session', outcome: 'failed' }]);
    sim.calls.clear();
    await expect(loader.memberAccess(demoConnection, memberCredentials(demoRestrictedTechnician), demoTicketIds.networkOpsOpen)).rejects.toThrow();
    expect(restCalls().some((c) => c.auth !== 'api')).toBe(true);
  });
});
