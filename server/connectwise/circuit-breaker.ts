export type BreakerState = 'closed' | 'open' | 'half_open';

export type CircuitBreakerOptions = {
  /** Counted failures in a row (see `burstMs`) that open the circuit. */
  failureThreshold?: number;
  /** A streak older than this starts over: failures far apart are not an outage. */
  windowMs?: number;
  /** How long an open circuit fails fast before one trial call may go through. */
  coolDownMs?: number;
  /**
   * Failed calls that started within this long of the last counted one are the same
   * observation: a pod view's parallel reads fail together and must not open the circuit
   * on their own.
   */
  burstMs?: number;
  /** A half-open trial that has not reported after this long no longer holds the others back. */
  trialTimeoutMs?: number;
  /** Injectable clock (tests). */
  now?: () => number;
  /** Told of every state change (metrics). */
  onChange?: ((change: { key: string; from: BreakerState; to: BreakerState }) => void) | undefined;
};

/** What the caller reports when its call ends. */
export type Permit = {
  /** ConnectWise answered (any status below 500, or a usable body). */
  success(): void;
  /** ConnectWise did not respond usefully: timeout, reset, 5xx, not JSON. */
  failure(): void;
  /** Neither: the caller gave up, or the call never reached ConnectWise. */
  release(): void;
};

export type Gate = { ok: true; permit: Permit } | { ok: false; retryAfterMs: number };

export type CircuitBreakers = {
  /**
   * Asks to make a call under `key`. Closed: go. Open: refused with the cool-down left.
   * Half-open: the first caller is the trial; the others wait for its outcome (so the first
   * view after a recovery is not refused), unless `signal` aborts first.
   */
  acquire(key: string, signal?: AbortSignal): Promise<Gate>;
  state(key: string): BreakerState;
};

type Trial = { startedAt: number; settled: Promise<void>; settle: () => void };

type Entry = {
  state: BreakerState;
  /** Counted failures of the current streak. */
  failures: number;
  streakStartedAt: number;
  lastCountedStart: number;
  openedAt: number;
  trial: Trial | null;
};

/**
 * Why these numbers:
 * - 5 failures: each failed call has already used its retries (up to 3 attempts within 8 s),
 *   so five in a row is an outage, not a blip; with `burstMs` a single pod view (about five
 *   parallel reads, all failing together) counts once, so one technician sees the real
 *   error a few times before the pod starts answering instantly.
 * - 60 s window: five failures spread over minutes say little about "now".
 * - 20 s cool-down: long enough to stop every pod of a tenant from waiting 8 s each and
 *   hammering a struggling ConnectWise; short enough that a technician's Retry works soon
 *   after ConnectWise recovers. One trial call then decides.
 * - 250 ms burst: a view's reads start within a few milliseconds of each other; separate
 *   views (a Retry, another technician) are further apart.
 */
export const breakerDefaults = {
  failureThreshold: 5,
  windowMs: 60_000,
  coolDownMs: 20_000,
  burstMs: 250,
} as const;

/**
 * Per-key circuit breakers (the client keys them by tenant and API origin). No timers: the
 * open → half-open step happens on the first call after the cool-down, so an idle tenant
 * costs nothing and a fake clock drives the tests.
 */
export function createCircuitBreakers(options: CircuitBreakerOptions = {}): CircuitBreakers {
  const threshold = options.failureThreshold ?? breakerDefaults.failureThreshold;
  const windowMs = options.windowMs ?? breakerDefaults.windowMs;
  const coolDownMs = options.coolDownMs ?? breakerDefaults.coolDownMs;
  const burstMs = options.burstMs ?? breakerDefaults.burstMs;
  const trialTimeoutMs = options.trialTimeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function entryOf(key: string): Entry {
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = { state: 'closed', failures: 0, streakStartedAt: 0, lastCountedStart: 0, openedAt: 0, trial: null };
      entries.set(key, entry);
    }
    return entry;
  }

  function move(key: string, entry: Entry, to: BreakerState): void {
    const from = entry.state;
    if (from === to) return;
    entry.state = to;
    options.onChange?.({ key, from, to });
  }

  function endTrial(entry: Entry): void {
    const trial = entry.trial;
    entry.trial = null;
    trial?.settle();
  }

  function forgetIfIdle(key: string, entry: Entry): void {
    // Only failing tenants keep an entry: the map cannot grow with healthy traffic.
    if (entry.state === 'closed' && entry.failures === 0 && entries.get(key) === entry) entries.delete(key);
  }

  function open(key: string, entry: Entry): void {
    entry.openedAt = now();
    entry.failures = 0;
    move(key, entry, 'open');
  }

  function permit(key: string, entry: Entry, ownTrial: Trial | null, startedAt: number): Permit {
    let done = false;
    // A trial that outlived trialTimeoutMs was replaced; its late outcome is a straggler's.
    const isTrial = () => ownTrial !== null && entry.trial === ownTrial;
    const once = (f: () => void) => () => {
      if (done) return;
      done = true;
      f();
    };
    return {
      success: once(() => {
        if (isTrial()) {
          entry.failures = 0;
          move(key, entry, 'closed');
          endTrial(entry);
        } else if (entry.state === 'closed') {
          entry.failures = 0;
        }
        // A straggler that started before the circuit opened proves little: only the trial closes it.
        forgetIfIdle(key, entry);
      }),
      failure: once(() => {
        if (isTrial()) {
          open(key, entry);
          endTrial(entry);
          return;
        }
        if (entry.state !== 'closed') return;
        const at = now();
        if (entry.failures > 0 && at - entry.streakStartedAt > windowMs) entry.failures = 0;
        if (entry.failures === 0) {
          entry.failures = 1;
          entry.streakStartedAt = at;
          entry.lastCountedStart = startedAt;
        } else if (startedAt - entry.lastCountedStart >= burstMs) {
          entry.failures += 1;
          entry.lastCountedStart = startedAt;
        }
        if (entry.failures >= threshold) open(key, entry);
      }),
      release: once(() => {
        if (isTrial()) endTrial(entry);
        forgetIfIdle(key, entry);
      }),
    };
  }

  async function acquire(key: string, signal?: AbortSignal): Promise<Gate> {
    for (;;) {
      signal?.throwIfAborted();
      const entry = entryOf(key);
      const at = now();
      if (entry.state === 'open') {
        const left = entry.openedAt + coolDownMs - at;
        if (left > 0) return { ok: false, retryAfterMs: left };
        move(key, entry, 'half_open');
      }
      if (entry.state === 'half_open') {
        const running = entry.trial;
        if (running !== null && at - running.startedAt < trialTimeoutMs) {
          await waitFor(running.settled, signal, running.startedAt + trialTimeoutMs - at);
          continue;
        }
        let settle = () => {};
        const settled = new Promise<void>((resolve) => {
          settle = resolve;
        });
        const trial: Trial = { startedAt: at, settled, settle };
        entry.trial = trial;
        return { ok: true, permit: permit(key, entry, trial, at) };
      }
      return { ok: true, permit: permit(key, entry, null, at) };
    }
  }

  return {
    acquire,
    state: (key) => {
      const entry = entries.get(key);
      if (entry === undefined) return 'closed';
      // Report what the next call would meet, without moving the state.
      if (entry.state === 'open' && now() >= entry.openedAt + coolDownMs) return 'half_open';
      return entry.state;
    },
  };
}

/** Resolves when `settled` does, the signal aborts (rejects), or `maxMs` passes. */
function waitFor(settled: Promise<void>, signal: AbortSignal | undefined, maxMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(finish, Math.max(0, maxMs));
    const onAbort = () => {
      cleanup();
      reject(signal?.reason);
    };
    function cleanup() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    function finish() {
      cleanup();
      resolve();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    settled.then(finish, finish);
  });
}
