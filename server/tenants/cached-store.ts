import { LRUCache } from 'lru-cache';
import type { Tenant, TenantStore } from './tenant.ts';

/**
 * Every pod request needs its tenant; reading it means a database query and two AES-GCM
 * decryptions. This keeps tenants in memory for a few seconds. Writes through this store
 * clear the entry at once; a store shared by several instances (PostgreSQL) reports writes by
 * the others through onChange, which clears their entry within milliseconds; otherwise (the
 * rotate-key command on SQLite, a lost change feed) a write is seen within `ttlMs`. Unknown
 * companies are remembered too, so a flood of requests for a made-up company id does not
 * reach the database.
 */
export function withTenantCache(
  store: TenantStore,
  options: { ttlMs: number; max?: number; now?: () => number },
): TenantStore {
  const cache = new LRUCache<string, { tenant: Tenant | null }>({
    max: options.max ?? 1000,
    ttl: options.ttlMs,
    // Read the clock on every lookup rather than memoising it for a millisecond.
    ttlResolution: 0,
    ...(options.now !== undefined ? { perf: { now: options.now } } : {}),
  });
  // A read that started before a write must not put the old tenant back afterwards.
  const generations = new Map<string, number>();
  // Bumped when every entry is dropped at once (changes may have been missed).
  let epoch = 0;
  const keyOf = (companyId: string) => companyId.toLowerCase();
  const invalidate = (companyId: string) => {
    const key = keyOf(companyId);
    generations.set(key, (generations.get(key) ?? 0) + 1);
    cache.delete(key);
  };
  const unsubscribe = store.onChange?.((key) => {
    if (key !== null) return invalidate(key);
    epoch += 1;
    generations.clear();
    cache.clear();
  });

  return {
    async get(companyId) {
      const key = keyOf(companyId);
      const hit = cache.get(key);
      if (hit !== undefined) return hit.tenant;
      const generation = generations.get(key) ?? 0;
      const startEpoch = epoch;
      const tenant = await store.get(companyId);
      if ((generations.get(key) ?? 0) === generation && epoch === startEpoch) cache.set(key, { tenant });
      return tenant;
    },
    list: () => store.list(),
    async upsert(write, opts) {
      try {
        return await store.upsert(write, opts);
      } finally {
        invalidate(write.companyId);
      }
    },
    async delete(companyId, opts) {
      try {
        return await store.delete(companyId, opts);
      } finally {
        invalidate(companyId);
      }
    },
    async saveTestResult(companyId, result) {
      try {
        await store.saveTestResult(companyId, result);
      } finally {
        invalidate(companyId);
      }
    },
    ping: () => store.ping(),
    close() {
      unsubscribe?.();
      return store.close();
    },
    ...(store.onChange !== undefined ? { onChange: store.onChange.bind(store) } : {}),
  };
}
