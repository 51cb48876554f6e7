import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoConnection } from '../../support/tenant-connections.ts';
import { memberCredentials } from '../../support/members.ts';
import { ApiErrorBody } from '../../../shared/errors.ts';
import type { FaultRule } from '../../../shared/harness-api.ts';
import { TicketContext } from '../../../shared/ticket-context.ts';
import { createConnectWise, type BreakerChange } from '../../../server/connectwise/connectwise.ts';
import { CwTicket } from '../../../server/ticket-context/schemas/ticket.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import {
  demoAdmin,
  demoCompanyId,
  demoRestrictedTechnician,
  demoTechnician,
  demoTicketIds,
  type DemoMember,
} from '../../../server/simulated-connectwise/demo.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';

/**
 * ConnectWise misbehaving in every way the simulator can inject, seen from the pod: the whole
 * product over real HTTP. Each fault must give the right pod error code, within the total
 * budget (8 s) plus a margin, with a bounded number of upstream attempts, without any of
 * ConnectWise's body, and the server must keep serving.
 */

const TICKET = demoTicketIds.helpDeskOpen;
/** ky's retry limit in the transport: 1 attempt + 2 retries per call. */
const MAX_ATTEMPTS_PER_CALL = 3;
/** The budget is 8 s; a request that hangs past this fails the test instead of the suite. */
const BOUND_MS = 12_000;

describe('upstream faults through the whole stack', () => {
  let stack: PodStack;
  let token: string;
  const sim = () => stack.simulator!.sim;

  async function sessionFor(member: DemoMember): Promise<Response> {
    return fetch(`${stack.url}/api/pod/demo/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(memberCredentials(member)),
      signal: AbortSignal.timeout(BOUND_MS),
    });
  }

  async function tokenFor(member: DemoMember): Promise<string> {
    const res = await sessionFor(member);
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  beforeAll(async () => {
    stack = await startPodStack();
    token = await tokenFor(demoTechnician);
    // A first good view: the member's access answer is then known, so the faults below
    // meet the ticket read itself.
    expect((await ticketContext()).status).toBe(200);
  });

  afterEach(() => {
    sim().faults.clear();
    sim().calls.clear();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function ticketContext(bearer = token): Promise<Response> {
    return fetch(`${stack.url}/api/pod/demo/tickets/${TICKET}?fresh=1`, {
      headers: { authorization: `Bearer ${bearer}` },
      signal: AbortSignal.timeout(BOUND_MS),
    });
  }

  async function errorOf(res: Response): Promise<{ body: ApiErrorBody; text: string }> {
    const text = await res.text();
    return { body: ApiErrorBody.parse(JSON.parse(text)), text };
  }

  /** The server is still up and, with ConnectWise healthy again, serves the ticket. */
  async function stillServing(): Promise<void> {
    sim().faults.clear();
    const health = await fetch(`${stack.url}/healthz`, { signal: AbortSignal.timeout(BOUND_MS) });
    expect(health.status).toBe(200);
    const res = await ticketContext();
    expect(res.status).toBe(200);
    expect(TicketContext.parse(await res.json()).ticket.id).toBe(TICKET);
  }

  /**
   * Attempts at the ticket itself, per kind of credentials (the data read with the API keys,
   * the access check as the member): each call stays within the retry limit.
   */
  function ticketAttempts(): { api: number; member: number } {
    const calls = sim().calls.list({ path: `*/service/tickets/${TICKET}` });
    return {
      api: calls.filter((c) => c.auth === 'api').length,
      member: calls.filter((c) => c.auth.startsWith('member')).length,
    };
  }

  function expectBoundedAttempts(retried: boolean): void {
    const { api, member } = ticketAttempts();
    const limit = retried ? MAX_ATTEMPTS_PER_CALL : 1;
    expect(api + member).toBeGreaterThanOrEqual(1);
    expect(api).toBeLessThanOrEqual(limit);
    expect(member).toBeLessThanOrEqual(limit);
  }

  const matrix: { name: string; fault: FaultRule; status: number; code: string; retried: boolean }[] = [
    { name: 'slower than the timeout', fault: { kind: 'timeout' }, status: 504, code: 'connectwise_unreachable', retried: true },
    { name: '500', fault: { kind: 'server-error', status: 500 }, status: 502, code: 'connectwise_unreachable', retried: true },
    { name: '502', fault: { kind: 'server-error', status: 502 }, status: 502, code: 'connectwise_unreachable', retried: true },
    { name: '503', fault: { kind: 'server-error', status: 503 }, status: 502, code: 'connectwise_unreachable', retried: true },
    { name: 'a reset connection', fault: { kind: 'reset' }, status: 502, code: 'connectwise_unreachable', retried: true },
    { name: 'an HTML login page', fault: { kind: 'html-login' }, status: 502, code: 'connectwise_unreachable', retried: false },
    { name: 'malformed JSON', fault: { kind: 'malformed-json' }, status: 502, code: 'connectwise_unreachable', retried: false },
    { name: 'truncated JSON', fault: { kind: 'truncated-json' }, status: 502, code: 'connectwise_unreachable', retried: false },
  ];

  it.each(matrix)('answers $status $code when ConnectWise gives $name on the ticket', async ({ fault, status, code, retried }) => {
    sim().faults.set({ ...fault, path: '*/service/tickets/*' });
    const res = await ticketContext();
    const { body, text } = await errorOf(res);
    expect(res.status).toBe(status);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/ConnectWise/);
    // Nothing of ConnectWise's answer comes through: no page, no markup, no body fragment.
    expect(text).not.toMatch(/<html|<!doctype|<form|<\/|password/i);
    expect(text).not.toContain('"_info"');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);

    expectBoundedAttempts(retried);
    await stillServing();
  });

  it.each([
    { name: 'slower than the timeout', fault: { kind: 'timeout' } as FaultRule, status: 504 },
    { name: '503', fault: { kind: 'server-error', status: 503 } as FaultRule, status: 502 },
  ])("answers $status within the budget when the member's first access check meets $name", async ({ fault, status }) => {
    // A member's first view: the access check (as the member) is a ConnectWise call too.
    const adminToken = await tokenFor(demoAdmin);
    sim().calls.clear();
    sim().faults.set({ ...fault, path: '*/service/tickets/*' });
    const res = await ticketContext(adminToken);
    const { body } = await errorOf(res);
    expect(res.status).toBe(status);
    expect(body.error.code).toBe('connectwise_unreachable');
    expectBoundedAttempts(true);
    await stillServing();
  });

  it('answers 429 rate_limited with retryAfter and a Retry-After header when ConnectWise throttles', async () => {
    sim().faults.set({ kind: 'rate-limit', retryAfterSeconds: 7, path: '*/service/tickets/*' });
    const res = await ticketContext();
    const { body } = await errorOf(res);
    expect(res.status).toBe(429);
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.retryAfter).toBe(7);
    expect(res.headers.get('retry-after')).toBe('7');
    expectBoundedAttempts(true);
    await stillServing();
  });

  it('shows the rest of the ticket when only an optional part fails', async () => {
    sim().faults.set({ kind: 'server-error', status: 503, path: '*/time/entries' });
    const res = await ticketContext();
    expect(res.status).toBe(200);
    const context = TicketContext.parse(await res.json());
    expect(context.ticket.id).toBe(TICKET);
    expect(context.time).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(context.notes.ok).toBe(true);
    expect(sim().calls.count({ path: '*/time/entries' })).toBeLessThanOrEqual(MAX_ATTEMPTS_PER_CALL);
  });

  it('reports an outage during member verification as ConnectWise not responding, never as a forged member', async () => {
    sim().faults.set({ kind: 'server-error', status: 503, path: '*/system/myMembers/info' });
    const res = await sessionFor(demoRestrictedTechnician);
    const { body, text } = await errorOf(res);
    expect(res.status).toBe(502);
    expect(body.error.code).toBe('connectwise_unreachable');
    expect(text).not.toContain(demoRestrictedTechnician.memberHash);
    // Every host and credential form it tried, each within the retry limit.
    const calls = sim().calls.count({ path: '*/system/myMembers/info' });
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(4 * MAX_ATTEMPTS_PER_CALL);
    await stillServing();
  });

  it('sends a write (register-pod POST) exactly once when ConnectWise answers 503', async () => {
    sim().faults.set({ kind: 'server-error', status: 503, method: 'POST', path: '*/system/connectwisehostedsetups*' });
    const res = await fetch(`${stack.url}/api/admin/tenants/demo/register-pod`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}` },
      signal: AbortSignal.timeout(BOUND_MS),
    });
    const { body } = await errorOf(res);
    expect(res.status).toBe(502);
    expect(body.error.code).toBe('connectwise_unreachable');
    // The list before it was read (a GET), and the POST went out once: no retry of a write.
    expect(sim().calls.count({ method: 'GET', path: '*/system/connectwisehostedsetups' })).toBeGreaterThanOrEqual(1);
    expect(sim().calls.count({ method: 'POST', path: '*/system/connectwisehostedsetups' })).toBe(1);
    await stillServing();
  });

  // Last: the open circuit outlives the test (its cool-down is the default 20 s).
  it('opens the tenant circuit after repeated failures, then answers at once without calling ConnectWise', async () => {
    sim().faults.set({ kind: 'server-error', status: 503 });
    let failedViews = 0;
    let open: { res: Response; body: ApiErrorBody } | undefined;
    while (open === undefined && failedViews < 20) {
      const res = await ticketContext();
      const { body } = await errorOf(res);
      expect(res.status).toBe(502);
      expect(body.error.code).toBe('connectwise_unreachable');
      if (body.error.retryAfter !== undefined) open = { res, body };
      else failedViews += 1;
    }
    expect(open, 'the circuit opened').toBeDefined();
    // One view's parallel failures are one observation: the first failed view did not open it.
    expect(failedViews).toBeGreaterThanOrEqual(2);
    expect(open!.body.error.message).toMatch(/ConnectWise is not responding.* \d+ s/);
    expect(open!.body.error.retryAfter).toBeGreaterThan(0);
    expect(open!.body.error.retryAfter).toBeLessThanOrEqual(20);
    expect(open!.res.headers.get('retry-after')).toBe(String(open!.body.error.retryAfter));

    sim().faults.clear();
    const before = sim().calls.count();
    const res = await ticketContext();
    const { body } = await errorOf(res);
    expect(res.status).toBe(502);
    expect(body.error).toMatchObject({ code: 'connectwise_unreachable' });
    expect(body.error.retryAfter).toBeGreaterThan(0);
    expect(sim().calls.count()).toBe(before);

    const health = await fetch(`${stack.url}/healthz`, { signal: AbortSignal.timeout(BOUND_MS) });
    expect(health.status).toBe(200);
  });
});

describe('the circuit breaker of the ConnectWise client, against the simulated ConnectWise', () => {
  const sim = createSimulatedConnectWise();
  const server = setupServer(...sim.handlers);
  const tenant = demoConnection;
  const ticketPath = `service/tickets/${TICKET}`;

  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    sim.faults.clear();
    sim.reset();
  });
  afterAll(() => server.close());

  async function settle(p: Promise<unknown>): Promise<unknown> {
    return p.then(
      () => 'ok',
      (e: unknown) => e,
    );
  }

  it('opens after repeated failures, fails fast while open, and closes after the cool-down when ConnectWise is back', async () => {
    const changes: BreakerChange[] = [];
    const cw = createConnectWise({
      allowPrivateNetwork: false,
      timeoutMs: 1000,
      totalTimeoutMs: 2000,
      circuitBreaker: { failureThreshold: 3, coolDownMs: 300, burstMs: 0 },
      onBreakerChange: (c) => changes.push(c),
    });
    try {
      const api = cw.api(tenant);
      await api.get(ticketPath, CwTicket);
      sim.faults.set({ kind: 'server-error', status: 503 });
      for (let i = 0; i < 3; i++) {
        expect(await settle(api.get(ticketPath, CwTicket))).toMatchObject({ status: 503 });
      }
      expect(changes.map((c) => c.to)).toEqual(['open']);
      expect(changes[0]).toMatchObject({ companyId: 'demo', apiOrigin: tenant.site.apiOrigin });

      // Open: refused without a call, with the wait left.
      const before = sim.calls.count();
      const refused = await settle(api.get(ticketPath, CwTicket));
      expect(refused).toMatchObject({ reason: 'circuit_open' });
      expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThanOrEqual(1);
      expect(sim.calls.count()).toBe(before);
      // Member verification shares the tenant's breaker.
      expect(
        await settle(
          cw.verifyMember(tenant, {
            companyid: demoCompanyId,
            memberid: demoTechnician.identifier,
            memberHash: demoTechnician.memberHash,
            memberContext: demoTechnician.memberContext,
          }),
        ),
      ).toMatchObject({ reason: 'circuit_open' });
      expect(sim.calls.count()).toBe(before);

      // After the cool-down one trial goes through; ConnectWise is back, so it closes.
      sim.faults.clear();
      await new Promise((resolve) => setTimeout(resolve, 350));
      await expect(api.get(ticketPath, CwTicket)).resolves.toMatchObject({ id: TICKET });
      expect(changes.map((c) => c.to)).toEqual(['open', 'half_open', 'closed']);
      await expect(api.get(ticketPath, CwTicket)).resolves.toMatchObject({ id: TICKET });
    } finally {
      await cw.close();
    }
  });

  it('re-opens when the trial after the cool-down fails too', async () => {
    const changes: BreakerChange[] = [];
    const cw = createConnectWise({
      allowPrivateNetwork: false,
      circuitBreaker: { failureThreshold: 2, coolDownMs: 200, burstMs: 0 },
      onBreakerChange: (c) => changes.push(c),
    });
    try {
      const api = cw.api(tenant);
      sim.faults.set({ kind: 'html-login' });
      await settle(api.get(ticketPath, CwTicket));
      await settle(api.get(ticketPath, CwTicket));
      expect(changes.map((c) => c.to)).toEqual(['open']);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const before = sim.calls.count();
      expect(await settle(api.get(ticketPath, CwTicket))).toMatchObject({ reason: 'not_json' });
      expect(sim.calls.count()).toBe(before + 1);
      expect(changes.map((c) => c.to)).toEqual(['open', 'half_open', 'open']);
      expect(await settle(api.get(ticketPath, CwTicket))).toMatchObject({ reason: 'circuit_open' });
    } finally {
      await cw.close();
    }
  });

  it('does not count answers: 404s and 429s never open it', async () => {
    const changes: BreakerChange[] = [];
    const cw = createConnectWise({
      allowPrivateNetwork: false,
      circuitBreaker: { failureThreshold: 2, burstMs: 0 },
      onBreakerChange: (c) => changes.push(c),
    });
    try {
      const api = cw.api(tenant);
      for (let i = 0; i < 3; i++) {
        expect(await settle(api.get(`service/tickets/${demoTicketIds.missing}`, CwTicket))).toMatchObject({ status: 404 });
      }
      sim.faults.set({ kind: 'rate-limit', retryAfterSeconds: 0 });
      for (let i = 0; i < 3; i++) {
        expect(await settle(api.get(ticketPath, CwTicket))).toMatchObject({ status: 429 });
      }
      expect(changes).toEqual([]);
    } finally {
      await cw.close();
    }
  });
});
