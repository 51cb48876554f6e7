import { LRUCache } from 'lru-cache';

/** Loads one part from ConnectWise; `signal` aborts only when no caller waits any more. */
export type PartLoad<T> = (signal: AbortSignal) => Promise<T>;

export type PartCacheOptions = {
  ttlMs: number;
  maxEntries: number;
  /** Cap on the cached answers' total size, measured as JSON characters (default 64 Mi). */
  maxBytes?: number;
  /** Told of each lookup (metrics): a hit, a join of a fetch in flight, or a miss. */
  onLookup?: (result: 'hit' | 'inflight' | 'miss') => void;
};

/** Roughly what an answer holds: a ticket with 1000 long notes must not count as one entry. */
function sizeOf(box: Box): number {
  return Math.max(1, JSON.stringify(box.value)?.length ?? 1);
}

export type PartGetOptions = {
  /** Skip a cached value and fetch again (the fresh value replaces the cached one). */
  fresh?: boolean;
  /** Cancels this caller's wait; the shared fetch goes on while anyone else waits. */
  signal?: AbortSignal;
};

/** `fetchedAt`: when ConnectWise answered (epoch ms), so a cached answer shows its age. */
export type PartResult<T> = { value: T; fromCache: boolean; fetchedAt: number };

// lru-cache stores no undefined values and treats them as "fetch aborted", so values are boxed.
type Box = { value: unknown; fetchedAt: number };

// The first caller's loader runs for everyone joining its flight. Keys name the tenant, the
// part and the id, so every joiner's loader would read the same thing with the same API keys;
// member credentials never get here (authorisation happens outside the cache).
type Context = { load: PartLoad<unknown>; signal: AbortSignal };

type Flight = { controller: AbortController; waiters: number; settled: boolean };

/** Resolves with `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * A TTL + LRU cache of ConnectWise parts with single-flight loading: concurrent `get`s of
 * one key share one upstream fetch (lru-cache's `fetch()` coalesces them).
 *
 * Cancellation is per caller. lru-cache would abort the shared fetch when the *first*
 * caller's signal fires, even though others still wait on it, so callers' signals never
 * reach lru-cache: each caller only stops waiting, and the upstream request is aborted
 * when the last waiter has gone (nobody is left to use the answer).
 *
 * Failures are not cached: the next `get` asks ConnectWise again.
 */
export function createPartCache(options: PartCacheOptions) {
  const cache = new LRUCache<string, Box, Context>({
    max: options.maxEntries,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: sizeOf,
    ttl: options.ttlMs,
    // The flight's own signal travels in the context: lru-cache 11 keeps about half a kilobyte
    // per refreshed entry when fetch() is given a signal (found by the load test's heap check).
    fetchMethod: async (_key, _stale, { context }) => ({ value: await context.load(context.signal), fetchedAt: Date.now() }),
  });
  const flights = new Map<string, Flight>();

  async function get<T>(key: string, load: PartLoad<T>, opts: PartGetOptions = {}): Promise<PartResult<T>> {
    const { signal } = opts;
    signal?.throwIfAborted();
    const status: LRUCache.Status<string, Box, Context> = {};
    const controller = new AbortController();
    const pending = cache.fetch(key, {
      context: { load, signal: controller.signal },
      forceRefresh: opts.fresh === true,
      status,
    });
    options.onLookup?.(status.fetch === 'hit' ? 'hit' : status.fetch === 'inflight' ? 'inflight' : 'miss');
    if (status.fetch === 'hit') {
      const box = await pending;
      if (box !== undefined) return { value: box.value as T, fromCache: true, fetchedAt: box.fetchedAt };
    }

    let flight = status.fetch === 'inflight' ? flights.get(key) : undefined;
    if (flight === undefined) {
      const started: Flight = { controller, waiters: 0, settled: false };
      const settle = () => {
        started.settled = true;
        if (flights.get(key) === started) flights.delete(key);
      };
      pending.then(settle, settle);
      flights.set(key, started);
      flight = started;
    }
    const joined = flight;
    joined.waiters += 1;
    try {
      const box = await untilAborted(pending, signal);
      if (box !== undefined) return { value: box.value as T, fromCache: false, fetchedAt: box.fetchedAt };
    } catch (err) {
      if (!joined.controller.signal.aborted || signal?.aborted) throw err;
    } finally {
      joined.waiters -= 1;
      if (joined.waiters === 0 && !joined.settled && signal?.aborted) joined.controller.abort(signal.reason);
    }
    // The flight was cancelled by its last waiter just as this caller joined it: start over.
    return get(key, load, opts);
  }

  return {
    get,
    /** True when `key` holds a fresh answer or a fetch of it is in flight (no new read would start). */
    has(key: string): boolean {
      return flights.has(key) || cache.has(key);
    },
    /** Entries held, in-flight fetches included. */
    get size() {
      return cache.size;
    },
    clear(): void {
      cache.clear();
    },
  };
}

export type PartCache = ReturnType<typeof createPartCache>;
