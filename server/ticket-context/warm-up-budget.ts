import { LRUCache } from 'lru-cache';

/**
 * How many page warm-ups a company may start a minute (issue 10). Counted per instance, in
 * fixed one-minute windows, and only for loads that would start a ConnectWise read, so a
 * busy service desk opening the same tickets is never throttled by its own cache hits. Keys
 * are tenants' company ids (loaded from the store, so bounded), lower-cased.
 */
export function createWarmUpBudget(options: { perMinute: number; windowMs?: number; maxCompanies?: number }) {
  const windowMs = options.windowMs ?? 60_000;
  const windows = new LRUCache<string, { start: number; used: number }>({ max: options.maxCompanies ?? 10_000 });
  return {
    /** Takes one warm-up from the company's budget; false when this minute's is spent. */
    take(companyId: string, now = Date.now()): boolean {
      const key = companyId.toLowerCase();
      let w = windows.get(key);
      if (w === undefined || now - w.start >= windowMs) {
        w = { start: now, used: 0 };
        windows.set(key, w);
      }
      if (w.used >= options.perMinute) return false;
      w.used += 1;
      return true;
    },
  };
}
