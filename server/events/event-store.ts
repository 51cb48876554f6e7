import { LRUCache } from 'lru-cache';
import type { ConnectWiseRequestEvent, FunnelStep, PodFailureEvent, TenantEvents } from '../../shared/admin-events.ts';
import { createHourlyCounts, type HourlyCounts } from './hourly-counts.ts';

/**
 * Where the events view's records live. Writes are fire-and-forget (they sit on the pod's hot
 * path and must never fail a request); reads are asynchronous so a store shared by several
 * instances (PostgreSQL) can replace the in-memory one without touching callers.
 */
export interface EventStore {
  request(companyId: string, event: ConnectWiseRequestEvent): void;
  failure(companyId: string, event: PodFailureEvent): void;
  count(companyId: string, step: FunnelStep, n?: number): void;
  read(companyId: string): Promise<TenantEvents>;
}

export type EventLimits = {
  /** ConnectWise requests kept per tenant (newest). */
  requests: number;
  /** Pod failures kept per tenant (newest). */
  failures: number;
  /** Tenants kept (least recently written dropped first). */
  tenants: number;
};

export const defaultEventLimits: EventLimits = { requests: 100, failures: 50, tenants: 1000 };

const funnelSteps = ['pagesServed', 'verified', 'contextServed', 'refusedFramings', 'blockedFramings'] as const satisfies readonly FunnelStep[];

type TenantLog = {
  requests: ConnectWiseRequestEvent[];
  failures: PodFailureEvent[];
  counts: HourlyCounts<FunnelStep>;
};

/** Newest first, at most `max`: one unshift and at most one pop per write. */
function pushBounded<T>(list: T[], item: T, max: number): void {
  list.unshift(item);
  if (list.length > max) list.pop();
}

/** This process's events, bounded per tenant and in the number of tenants. */
export function createMemoryEventStore(options: { limits?: Partial<EventLimits>; now?: () => number } = {}): EventStore {
  const limits = { ...defaultEventLimits, ...options.limits };
  const now = options.now ?? Date.now;
  const tenants = new LRUCache<string, TenantLog>({ max: limits.tenants });
  const logOf = (companyId: string): TenantLog => {
    const key = companyId.toLowerCase();
    let log = tenants.get(key);
    if (log === undefined) {
      log = { requests: [], failures: [], counts: createHourlyCounts(funnelSteps, now) };
      tenants.set(key, log);
    }
    return log;
  };

  return {
    request(companyId, event) {
      pushBounded(logOf(companyId).requests, event, limits.requests);
    },
    failure(companyId, event) {
      pushBounded(logOf(companyId).failures, event, limits.failures);
    },
    count(companyId, step, n = 1) {
      logOf(companyId).counts.add(step, n);
    },
    async read(companyId) {
      const log = tenants.peek(companyId.toLowerCase());
      const empty = Object.fromEntries(funnelSteps.map((s) => [s, 0])) as Record<FunnelStep, number>;
      return {
        companyId,
        requests: [...(log?.requests ?? [])],
        failures: [...(log?.failures ?? [])],
        lastHour: log?.counts.lastHour() ?? empty,
      };
    },
  };
}
