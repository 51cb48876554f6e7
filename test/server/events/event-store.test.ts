import { describe, expect, it } from 'vitest';
import { createMemoryEventStore } from '../../../server/events/event-store.ts';
import type { ConnectWiseRequestEvent } from '../../../shared/admin-events.ts';

const MINUTE = 60_000;

const call = (i: number): ConnectWiseRequestEvent => ({
  at: new Date(i).toISOString(),
  method: 'GET',
  path: 'service/tickets/:id',
  status: '200',
  ms: i,
  trigger: 'view',
});

describe('the in-memory event store', () => {
  it('keeps the newest requests and failures per tenant, newest first, within its bounds', async () => {
    const store = createMemoryEventStore({ limits: { requests: 3, failures: 2 } });
    for (let i = 1; i <= 5; i++) store.request('Acme', call(i));
    for (let i = 1; i <= 3; i++) store.failure('acme', { at: new Date(i).toISOString(), code: 'ticket_forbidden', member: 'jdoe', ticket: i });
    const events = await store.read('ACME');
    expect(events.requests.map((r) => r.ms)).toEqual([5, 4, 3]);
    expect(events.failures.map((f) => f.ticket)).toEqual([3, 2]);
    expect((await store.read('other')).requests).toEqual([]);
  });

  it('counts the funnel over the last hour only', async () => {
    let t = Date.parse('2026-12-02T10:00:00Z');
    const store = createMemoryEventStore({ now: () => t });
    store.count('acme', 'pagesServed');
    store.count('acme', 'pagesServed');
    t += 30 * MINUTE;
    store.count('acme', 'verified');
    store.count('acme', 'blockedFramings', 3);
    expect((await store.read('acme')).lastHour).toEqual({ pagesServed: 2, verified: 1, contextServed: 0, refusedFramings: 0, blockedFramings: 3 });
    t += 31 * MINUTE;
    expect((await store.read('acme')).lastHour).toMatchObject({ pagesServed: 0, verified: 1, blockedFramings: 3 });
    t += 60 * MINUTE;
    expect((await store.read('acme')).lastHour).toMatchObject({ verified: 0, blockedFramings: 0 });
  });

  it('keeps a bounded number of tenants', async () => {
    const store = createMemoryEventStore({ limits: { tenants: 2 } });
    store.request('a', call(1));
    store.request('b', call(1));
    store.request('c', call(1));
    expect((await store.read('a')).requests).toEqual([]);
    expect((await store.read('c')).requests).toHaveLength(1);
  });
});
