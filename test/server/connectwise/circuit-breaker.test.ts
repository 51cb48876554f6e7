import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreakers, type BreakerState, type Gate, type Permit } from '../../../server/connectwise/circuit-breaker.ts';
import { ConnectWiseUnreachableError } from '../../../server/connectwise/errors/ConnectWiseUnreachableError.ts';
import { connectWiseErrors as toPodError } from '../../../server/pod-error-mappers.ts';

// A fake clock drives the breaker (it has no timers of its own); vitest's fake timers also
// cover the one timer it does use, the cap on waiting for a half-open trial.

let clock = 0;
const now = () => clock;
const KEY = 'tenant-a';

beforeEach(() => {
  clock = 1_000_000;
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function breakers(options: Parameters<typeof createCircuitBreakers>[0] = {}) {
  const changes: { key: string; from: BreakerState; to: BreakerState }[] = [];
  const b = createCircuitBreakers({
    failureThreshold: 3,
    windowMs: 60_000,
    coolDownMs: 20_000,
    burstMs: 250,
    trialTimeoutMs: 9_000,
    now,
    onChange: (c) => changes.push(c),
    ...options,
  });
  return { b, changes };
}

async function permitOf(gate: Promise<Gate>): Promise<Permit> {
  const g = await gate;
  if (!g.ok) throw new Error(`refused for ${g.retryAfterMs} ms`);
  return g.permit;
}

/** One failed call, started now, then the clock moves on by `gapMs`. */
async function fail(b: ReturnType<typeof createCircuitBreakers>, key = KEY, gapMs = 1000): Promise<void> {
  const permit = await permitOf(b.acquire(key));
  permit.failure();
  clock += gapMs;
}

describe('closed', () => {
  it('lets calls through while failures stay under the threshold', async () => {
    const { b } = breakers();
    await fail(b);
    await fail(b);
    expect(b.state(KEY)).toBe('closed');
    expect((await b.acquire(KEY)).ok).toBe(true);
  });

  it('opens after the threshold of failures in a row, and then refuses without a call', async () => {
    const { b, changes } = breakers();
    await fail(b);
    await fail(b);
    await fail(b, KEY, 0);
    expect(b.state(KEY)).toBe('open');
    expect(changes).toEqual([{ key: KEY, from: 'closed', to: 'open' }]);
    clock += 5_000;
    const gate = await b.acquire(KEY);
    expect(gate).toEqual({ ok: false, retryAfterMs: 15_000 });
  });

  it('starts the streak over after a success', async () => {
    const { b } = breakers();
    await fail(b);
    await fail(b);
    (await permitOf(b.acquire(KEY))).success();
    await fail(b);
    await fail(b);
    expect(b.state(KEY)).toBe('closed');
    await fail(b);
    expect(b.state(KEY)).toBe('open');
  });

  it('counts parallel failures of one burst once', async () => {
    const { b } = breakers();
    // Five reads of one pod view start together and all fail.
    const permits = await Promise.all([1, 2, 3, 4, 5].map(() => permitOf(b.acquire(KEY))));
    clock += 3_000;
    for (const p of permits) p.failure();
    expect(b.state(KEY)).toBe('closed');
    await fail(b);
    expect(b.state(KEY)).toBe('closed');
    await fail(b);
    expect(b.state(KEY)).toBe('open');
  });

  it('forgets failures older than the window', async () => {
    const { b } = breakers();
    await fail(b, KEY, 30_000);
    await fail(b, KEY, 31_000);
    await fail(b);
    expect(b.state(KEY)).toBe('closed');
  });

  it('is not moved by released calls (aborted by the caller, never sent)', async () => {
    const { b } = breakers();
    await fail(b);
    await fail(b);
    (await permitOf(b.acquire(KEY))).release();
    await fail(b);
    expect(b.state(KEY)).toBe('open');
  });

  it('keeps tenants apart', async () => {
    const { b } = breakers();
    await fail(b, 'a');
    await fail(b, 'a');
    await fail(b, 'a');
    expect(b.state('a')).toBe('open');
    expect(b.state('b')).toBe('closed');
    expect((await b.acquire('b')).ok).toBe(true);
  });

  it('counts one outcome per permit', async () => {
    const { b } = breakers();
    const permit = await permitOf(b.acquire(KEY));
    permit.failure();
    permit.failure();
    permit.failure();
    clock += 1000;
    await fail(b);
    expect(b.state(KEY)).toBe('closed');
  });
});

async function openIt(b: ReturnType<typeof createCircuitBreakers>) {
  await fail(b);
  await fail(b);
  await fail(b, KEY, 0);
  expect(b.state(KEY)).toBe('open');
}

describe('after the cool-down', () => {
  it('lets one trial through; its success closes the circuit', async () => {
    const { b, changes } = breakers();
    await openIt(b);
    clock += 20_000;
    expect(b.state(KEY)).toBe('half_open');
    const trial = await permitOf(b.acquire(KEY));
    trial.success();
    expect(b.state(KEY)).toBe('closed');
    expect(changes.map((c) => c.to)).toEqual(['open', 'half_open', 'closed']);
    expect((await b.acquire(KEY)).ok).toBe(true);
  });

  it('re-opens for a whole cool-down when the trial fails', async () => {
    const { b } = breakers();
    await openIt(b);
    clock += 20_000;
    (await permitOf(b.acquire(KEY))).failure();
    expect(b.state(KEY)).toBe('open');
    clock += 1_000;
    expect(await b.acquire(KEY)).toEqual({ ok: false, retryAfterMs: 19_000 });
  });

  it('holds other calls until the trial answers, then lets them through', async () => {
    const { b } = breakers();
    await openIt(b);
    clock += 20_000;
    const trial = await permitOf(b.acquire(KEY));
    let settled = false;
    const waiting = b.acquire(KEY).then((g) => {
      settled = true;
      return g;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toBe(false);
    trial.success();
    expect((await waiting).ok).toBe(true);
  });

  it('refuses the held calls when the trial fails', async () => {
    const { b } = breakers();
    await openIt(b);
    clock += 20_000;
    const trial = await permitOf(b.acquire(KEY));
    const waiting = b.acquire(KEY);
    trial.failure();
    expect(await waiting).toEqual({ ok: false, retryAfterMs: 20_000 });
  });

  it('passes the trial on when the trial call is released', async () => {
    const { b } = breakers();
    await openIt(b);
    clock += 20_000;
    const first = await permitOf(b.acquire(KEY));
    const second = b.acquire(KEY);
    first.release();
    const next = await permitOf(second);
    expect(b.state(KEY)).toBe('half_open');
    next.success();
    expect(b.state(KEY)).toBe('closed');
  });

  it('does not let a lost trial hold the others back longer than the trial time-out', async () => {
    const { b } = breakers();
    await openIt(b);
    clock += 20_000;
    const lost = await permitOf(b.acquire(KEY));
    const waiting = b.acquire(KEY);
    clock += 9_000;
    await vi.advanceTimersByTimeAsync(9_000);
    const takeover = await permitOf(waiting);
    lost.failure(); // a straggler now: it must not re-open the circuit over the new trial
    expect(b.state(KEY)).toBe('half_open');
    takeover.success();
    expect(b.state(KEY)).toBe('closed');
  });

  it('stops a held caller waiting when its signal aborts', async () => {
    const { b } = breakers();
    await openIt(b);
    clock += 20_000;
    await permitOf(b.acquire(KEY));
    const controller = new AbortController();
    const waiting = b.acquire(KEY, controller.signal);
    controller.abort(new Error('technician moved on'));
    await expect(waiting).rejects.toThrow('technician moved on');
  });

  it('ignores a straggler that succeeds while the circuit is open', async () => {
    const { b } = breakers();
    const straggler = await permitOf(b.acquire(KEY));
    clock += 1000;
    await openIt(b);
    straggler.success();
    expect(b.state(KEY)).toBe('open');
  });
});

describe('the pod error for an open circuit', () => {
  it('is connectwise_unreachable (502) saying ConnectWise is not responding, with the wait', () => {
    const err = toPodError(new ConnectWiseUnreachableError('circuit_open', 'service/tickets/7', { retryAfter: 17 }));
    expect(err).toMatchObject({ code: 'connectwise_unreachable', status: 502, retryAfter: 17 });
    expect(err?.message).toMatch(/ConnectWise is not responding.*Wait 17 s/);
  });
});
