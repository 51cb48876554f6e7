/**
 * Counters over a sliding hour, one bucket per minute: memory stays at 60 buckets whatever
 * the traffic, and old counts fall off without a timer.
 */
export type HourlyCounts<K extends string> = {
  add(key: K, n?: number): void;
  /** Sum of each key over the last 60 minutes (this minute included). */
  lastHour(): Record<K, number>;
};

const MINUTE = 60_000;
const BUCKETS = 60;

export function createHourlyCounts<K extends string>(keys: readonly K[], now: () => number): HourlyCounts<K> {
  const buckets = new Map<number, Map<K, number>>();
  const prune = (minute: number) => {
    for (const m of buckets.keys()) if (m <= minute - BUCKETS) buckets.delete(m);
  };
  return {
    add(key, n = 1) {
      const minute = Math.floor(now() / MINUTE);
      let bucket = buckets.get(minute);
      if (bucket === undefined) {
        prune(minute);
        bucket = new Map();
        buckets.set(minute, bucket);
      }
      bucket.set(key, (bucket.get(key) ?? 0) + n);
    },
    lastHour() {
      const minute = Math.floor(now() / MINUTE);
      const totals = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
      for (const [m, bucket] of buckets) {
        if (m <= minute - BUCKETS || m > minute) continue;
        for (const [k, n] of bucket) totals[k] += n;
      }
      return totals;
    },
  };
}
