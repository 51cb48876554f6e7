import { LRUCache } from 'lru-cache';
import type { RefusedOrigin } from '../../shared/admin-api.ts';

/**
 * Addresses that framed a tenant's pod without being one of its origins (routes/pod-page.ts
 * answers them with a notice). Anyone can frame the pod, so these are untrusted hints and the
 * recording is bounded: at most `perTenant` addresses per tenant (the most recently seen),
 * and at most `newPerHour` addresses a tenant has not seen before in any hour, so a flood of
 * made-up addresses cannot push the real one out of the list quickly. Seeing a known address
 * again only moves its counters.
 */
export interface RefusedOriginLog {
  record(companyId: string, origin: string): void;
  /** Most recently seen first. */
  list(companyId: string): Promise<RefusedOrigin[]>;
}

export type RefusedOriginLimits = { perTenant: number; newPerHour: number; tenants: number };

export const defaultRefusedOriginLimits: RefusedOriginLimits = { perTenant: 20, newPerHour: 10, tenants: 1000 };

const HOUR = 3_600_000;

type TenantEntries = {
  origins: Map<string, { firstSeen: number; lastSeen: number; count: number }>;
  /** When each new address of the current hour window was first recorded. */
  recentNew: number[];
};

export function createMemoryRefusedOriginLog(options: { limits?: Partial<RefusedOriginLimits>; now?: () => number } = {}): RefusedOriginLog {
  const limits = { ...defaultRefusedOriginLimits, ...options.limits };
  const now = options.now ?? Date.now;
  const tenants = new LRUCache<string, TenantEntries>({ max: limits.tenants });

  return {
    record(companyId, origin) {
      const key = companyId.toLowerCase();
      let entries = tenants.get(key);
      if (entries === undefined) {
        entries = { origins: new Map(), recentNew: [] };
        tenants.set(key, entries);
      }
      const t = now();
      const known = entries.origins.get(origin);
      if (known !== undefined) {
        known.lastSeen = t;
        known.count += 1;
        // Map order is recency order: re-inserting moves it to the end.
        entries.origins.delete(origin);
        entries.origins.set(origin, known);
        return;
      }
      entries.recentNew = entries.recentNew.filter((at) => at > t - HOUR);
      if (entries.recentNew.length >= limits.newPerHour) return;
      entries.recentNew.push(t);
      entries.origins.set(origin, { firstSeen: t, lastSeen: t, count: 1 });
      if (entries.origins.size > limits.perTenant) {
        const oldest = entries.origins.keys().next().value;
        if (oldest !== undefined) entries.origins.delete(oldest);
      }
    },
    async list(companyId) {
      const entries = tenants.peek(companyId.toLowerCase());
      if (entries === undefined) return [];
      return [...entries.origins]
        .reverse()
        .map(([origin, e]) => ({
          origin,
          firstSeen: new Date(e.firstSeen).toISOString(),
          lastSeen: new Date(e.lastSeen).toISOString(),
          count: e.count,
        }));
    },
  };
}
