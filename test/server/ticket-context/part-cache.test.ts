import { describe, expect, it } from 'vitest';
import { createPartCache, type PartLoad } from '../../../server/ticket-context/part-cache.ts';

/** A load that answers when the test says so, recording the signals it was given. */
function controlledLoad<T>() {
  const calls: { signal: AbortSignal; resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const load: PartLoad<T> = (signal) =>
    new Promise<T>((resolve, reject) => {
      calls.push({ signal, resolve, reject });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { load, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('createPartCache', () => {
  it('shares one load between concurrent gets of the same key', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    const { load, calls } = controlledLoad<string>();
    const gets = Array.from({ length: 20 }, () => cache.get('acme:ticket:1', load));
    await flush();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve('ticket one');
    const results = await Promise.all(gets);
    expect(results.map((r) => r.value)).toEqual(Array(20).fill('ticket one'));
    expect(results.every((r) => !r.fromCache)).toBe(true);
  });

  it('answers from the cache within the TTL, without loading again', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    let loads = 0;
    const load = async () => `value ${++loads}`;
    const first = await cache.get('acme:notes:1', load);
    const second = await cache.get('acme:notes:1', load);
    expect(first).toMatchObject({ value: 'value 1', fromCache: false });
    expect(second).toMatchObject({ value: 'value 1', fromCache: true });
    expect(loads).toBe(1);
  });

  it('loads again once the TTL has passed', async () => {
    const cache = createPartCache({ ttlMs: 5, maxEntries: 100 });
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('acme:time:1', load);
    await new Promise((r) => setTimeout(r, 30));
    const again = await cache.get('acme:time:1', load);
    expect(again).toMatchObject({ value: 2, fromCache: false });
  });

  it('keeps keys apart', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    const a = await cache.get('acme:ticket:1', async () => 'one');
    const b = await cache.get('acme:ticket:2', async () => 'two');
    const c = await cache.get('other:ticket:1', async () => 'other one');
    expect([a.value, b.value, c.value]).toEqual(['one', 'two', 'other one']);
  });

  it('re-fetches with fresh and keeps the new value for the next caller', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('acme:ticket:1', load);
    const fresh = await cache.get('acme:ticket:1', load, { fresh: true });
    const after = await cache.get('acme:ticket:1', load);
    expect(fresh).toMatchObject({ value: 2, fromCache: false });
    expect(after).toMatchObject({ value: 2, fromCache: true });
  });

  it('does not cache a failure', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    let loads = 0;
    const load = async () => {
      loads += 1;
      if (loads === 1) throw new Error('ConnectWise said no');
      return 'second try';
    };
    await expect(cache.get('acme:agreements:7', load)).rejects.toThrow('ConnectWise said no');
    await expect(cache.get('acme:agreements:7', load)).resolves.toMatchObject({ value: 'second try', fromCache: false });
  });

  it('gives every concurrent waiter the same failure from one load', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    const { load, calls } = controlledLoad<string>();
    const gets = [cache.get('k', load), cache.get('k', load), cache.get('k', load)];
    await flush();
    calls[0]!.reject(new Error('403 from ConnectWise'));
    const settled = await Promise.allSettled(gets);
    expect(calls).toHaveLength(1);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });

  it('lets one caller stop waiting without aborting the fetch another caller waits on', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    const { load, calls } = controlledLoad<string>();
    const leaving = new AbortController();
    const first = cache.get('acme:ticket:1', load, { signal: leaving.signal });
    const second = cache.get('acme:ticket:1', load);
    await flush();
    leaving.abort(new Error('switched tickets'));
    await expect(first).rejects.toThrow('switched tickets');
    expect(calls[0]!.signal.aborted).toBe(false);
    calls[0]!.resolve('the ticket');
    await expect(second).resolves.toMatchObject({ value: 'the ticket', fromCache: false });
    expect(calls).toHaveLength(1);
    // The answer was kept for the next caller.
    await expect(cache.get('acme:ticket:1', load)).resolves.toMatchObject({ value: 'the ticket', fromCache: true });
  });

  it('keeps the fetch going when the caller who started it leaves but a later one waits', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    const { load, calls } = controlledLoad<string>();
    const starter = new AbortController();
    const first = cache.get('k', load, { signal: starter.signal });
    await flush();
    const second = cache.get('k', load, { signal: new AbortController().signal });
    starter.abort(new Error('gone'));
    await expect(first).rejects.toThrow('gone');
    expect(calls[0]!.signal.aborted).toBe(false);
    calls[0]!.resolve('v');
    await expect(second).resolves.toMatchObject({ value: 'v' });
  });

  it('aborts the upstream fetch when the last waiter has gone', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    const { load, calls } = controlledLoad<string>();
    const a = new AbortController();
    const b = new AbortController();
    const first = cache.get('k', load, { signal: a.signal });
    const second = cache.get('k', load, { signal: b.signal });
    await flush();
    a.abort(new Error('a left'));
    await expect(first).rejects.toThrow('a left');
    expect(calls[0]!.signal.aborted).toBe(false);
    b.abort(new Error('b left'));
    await expect(second).rejects.toThrow('b left');
    expect(calls[0]!.signal.aborted).toBe(true);
  });

  it('lets a caller who arrives as the only waiter leaves take over the same fetch', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    const { load, calls } = controlledLoad<string>();
    const leaving = new AbortController();
    const first = cache.get('k', load, { signal: leaving.signal });
    await flush();
    leaving.abort(new Error('left'));
    const late = cache.get('k', load);
    await expect(first).rejects.toThrow('left');
    expect(calls[0]!.signal.aborted).toBe(false);
    calls[0]!.resolve('still wanted');
    await expect(late).resolves.toMatchObject({ value: 'still wanted', fromCache: false });
    expect(calls).toHaveLength(1);
  });

  it('loads afresh for a caller who comes after a cancelled fetch', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    const { load, calls } = controlledLoad<string>();
    const leaving = new AbortController();
    const first = cache.get('k', load, { signal: leaving.signal });
    await flush();
    leaving.abort(new Error('left'));
    await expect(first).rejects.toThrow('left');
    expect(calls[0]!.signal.aborted).toBe(true);
    const late = cache.get('k', load);
    await flush();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('reloaded');
    await expect(late).resolves.toMatchObject({ value: 'reloaded', fromCache: false });
  });

  it('rejects at once when the signal is already aborted, without loading', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100 });
    let loads = 0;
    await expect(
      cache.get('k', async () => ++loads, { signal: AbortSignal.abort(new Error('already gone')) }),
    ).rejects.toThrow('already gone');
    expect(loads).toBe(0);
  });

  it('holds at most maxEntries entries', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 3 });
    for (let i = 0; i < 10; i++) await cache.get(`k${i}`, async () => i);
    expect(cache.size).toBe(3);
    await expect(cache.get('k9', async () => -1)).resolves.toMatchObject({ value: 9, fromCache: true });
    await expect(cache.get('k0', async () => -1)).resolves.toMatchObject({ value: -1, fromCache: false });
  });

  it('evicts the oldest answers when their total size passes maxBytes', async () => {
    const cache = createPartCache({ ttlMs: 30_000, maxEntries: 100, maxBytes: 250 });
    const big = 'x'.repeat(100);
    for (let i = 0; i < 5; i++) await cache.get(`k${i}`, async () => big);
    expect(cache.size).toBe(2);
    await expect(cache.get('k4', async () => 'reloaded')).resolves.toMatchObject({ fromCache: true });
    await expect(cache.get('k0', async () => 'reloaded')).resolves.toMatchObject({ value: 'reloaded', fromCache: false });
  });
});
