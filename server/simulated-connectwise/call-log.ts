import type { SimCall } from '../../shared/harness-api.ts';
import { pathMatches } from './path-pattern.ts';

export type CallFilter = { method?: string; host?: string; path?: string; auth?: SimCall['auth'] };

export type CallLog = {
  record(call: SimCall): void;
  /** Every answered request, oldest first (a copy). */
  list(filter?: CallFilter): SimCall[];
  count(filter?: CallFilter): number;
  clear(): void;
};

function matches(call: SimCall, f: CallFilter | undefined): boolean {
  if (f === undefined) return true;
  if (f.method !== undefined && call.method !== f.method.toUpperCase()) return false;
  if (f.host !== undefined && call.host !== f.host.toLowerCase()) return false;
  if (f.auth !== undefined && call.auth !== f.auth) return false;
  if (f.path !== undefined && !pathMatches(f.path, call.path)) return false;
  return true;
}

/**
 * The simulator's request log (the benchmark counts ConnectWise calls per pod view with it).
 * It keeps method, host, path, query and the KIND of credentials, never their values.
 */
export function createCallLog(limit = 10_000): CallLog {
  let calls: SimCall[] = [];
  return {
    record(call) {
      calls.push(call);
      if (calls.length > limit) calls = calls.slice(calls.length - limit);
    },
    list: (filter) => calls.filter((c) => matches(c, filter)),
    count: (filter) => calls.reduce((n, c) => (matches(c, filter) ? n + 1 : n), 0),
    clear() {
      calls = [];
    },
  };
}
