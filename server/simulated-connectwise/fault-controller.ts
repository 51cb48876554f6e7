import * as z from 'zod/mini';
import { FaultRule, FaultRuleInput } from '../../shared/harness-api.ts';
import { pathMatches } from './path-pattern.ts';

export type ActiveFault = Exclude<FaultRule, { kind: 'latency' }>;

/** What the faults say about one request: extra delay, and at most one fault to apply. */
export type FaultDecision = { latencyMs: number; fault: ActiveFault | null };

export type FaultController = {
  /** Adds rules (they accumulate until cleared or used up). Throws a readable error on a bad rule. */
  set(rules: FaultRuleInput): void;
  /** Removes every rule and releases requests hanging on a timeout fault. */
  clear(): void;
  /** The rules still active, with their remaining counts. */
  list(): FaultRule[];
  /** Consumes matching rules for one request. */
  take(method: string, pathname: string): FaultDecision;
  /** Resolves when the request is aborted or the faults are cleared (the "timeout" fault). */
  hang(signal: AbortSignal): Promise<void>;
  /** How many requests are hanging on a timeout fault right now. */
  hangingCount(): number;
};

function ruleMatches(rule: FaultRule, method: string, pathname: string): boolean {
  if (rule.method !== undefined && rule.method !== method.toUpperCase()) return false;
  return rule.path === undefined || pathMatches(rule.path, pathname);
}

export function createFaultController(): FaultController {
  let rules: FaultRule[] = [];
  const hanging = new Set<() => void>();

  const consume = (rule: FaultRule) => {
    if (rule.count === undefined) return;
    const remaining = rule.count - 1;
    rules = remaining <= 0 ? rules.filter((r) => r !== rule) : rules.map((r) => (r === rule ? { ...r, count: remaining } : r));
  };

  return {
    set(input) {
      const parsed = FaultRuleInput.safeParse(input);
      if (!parsed.success) throw new Error(`Invalid fault rule: ${z.prettifyError(parsed.error)}`);
      const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
      rules = [...rules, ...list];
    },
    clear() {
      rules = [];
      for (const release of hanging) release();
      hanging.clear();
    },
    list: () => rules.map((r) => ({ ...r })),
    take(method, pathname) {
      let latencyMs = 0;
      let fault: ActiveFault | null = null;
      for (const rule of [...rules]) {
        if (!ruleMatches(rule, method, pathname)) continue;
        if (rule.kind === 'latency') {
          latencyMs += rule.ms;
          consume(rule);
        } else if (fault === null) {
          fault = rule;
          consume(rule);
        }
      }
      return { latencyMs, fault };
    },
    hangingCount: () => hanging.size,
    hang(signal) {
      return new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const release = () => {
          hanging.delete(release);
          signal.removeEventListener('abort', release);
          resolve();
        };
        hanging.add(release);
        signal.addEventListener('abort', release, { once: true });
      });
    },
  };
}
