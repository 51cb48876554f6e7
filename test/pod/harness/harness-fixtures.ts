import * as z from 'zod/mini';
import { HarnessConfig } from '../../../shared/harness-api.ts';

/** A harness config as the simulator would serve it, parsed with the real schema so it stays honest. */
export function harnessConfig(overrides: Partial<z.input<typeof HarnessConfig>> = {}): HarnessConfig {
  return z.parse(HarnessConfig, {
    simulatorOrigin: 'http://127.0.0.1:4001',
    podOrigin: 'http://127.0.0.1:4000',
    defaultPodUrl: 'http://127.0.0.1:4000/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]',
    defaultCompanyId: 'demo',
    codebase: 'v4_6_release/',
    nilearOrigin: 'http://localhost:4001',
    instances: [
      { companyId: 'demo', companyName: 'Demo Managed Services', uiOrigin: null, apiOrigin: null, isCloud: false, codebase: 'v4_6_release/' },
      { companyId: 'other', companyName: 'Other MSP', uiOrigin: null, apiOrigin: null, isCloud: false, codebase: 'v2025_1/' },
    ],
    members: [
      { companyId: 'demo', identifier: 'jsmith', name: 'Jane Smith', email: 'jane@demo.example', memberHash: 'hash-jsmith', memberContext: 'web', valid: true, inactive: false, note: 'sees every board' },
      { companyId: 'demo', identifier: 'bwilson', name: 'Ben Wilson', email: 'ben@demo.example', memberHash: 'hash-bwilson', memberContext: 'web', valid: true, inactive: false, note: 'one board' },
      { companyId: 'demo', identifier: 'jsmith', name: 'Jane Smith (forged hash)', email: 'jane@demo.example', memberHash: 'forged', memberContext: 'web', valid: false, inactive: false, note: 'forged hash' },
      { companyId: 'other', identifier: 'otech', name: 'Other Tech', email: 'o@other.example', memberHash: 'hash-otech', memberContext: 'web', valid: true, inactive: false, note: '' },
    ],
    tickets: [
      { companyId: 'demo', id: 1001, summary: 'Printer offline', boardId: 1, boardName: 'Help Desk', companyName: 'Acme', closed: false },
      { companyId: 'demo', id: 1002, summary: 'VPN drops', boardId: 2, boardName: 'Network Ops', companyName: 'Acme', closed: false },
      { companyId: 'other', id: 2001, summary: 'Other ticket', boardId: 1, boardName: 'Help Desk', companyName: 'Beta', closed: true },
    ],
    faultPresets: [
      { id: 'slow', label: 'Slow (2 s)', description: 'adds 2 s', rules: [{ kind: 'latency', ms: 2000 }] },
      { id: '429', label: '429 Too Many Requests', description: 'throttled', rules: [{ kind: 'rate-limit', retryAfterSeconds: 5 }] },
    ],
    ...overrides,
  });
}

/** The pod iframe's window: records every postMessage with its targetOrigin. */
export function fakeFrame() {
  const posts: { message: string; targetOrigin: string }[] = [];
  return {
    posts,
    postMessage(message: string, targetOrigin: string) {
      posts.push({ message, targetOrigin });
    },
    /** The posted messages, parsed. */
    sent(): Record<string, unknown>[] {
      return posts.map((p) => JSON.parse(p.message) as Record<string, unknown>);
    },
  };
}

/** Timers the test fires by hand, so nothing depends on wall-clock time. */
export function manualTimers() {
  let next = 1;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  return {
    setTimeout: (fn: () => void, ms: number): unknown => {
      const id = next++;
      pending.set(id, { fn, ms });
      return id;
    },
    clearTimeout: (handle: unknown) => {
      pending.delete(handle as number);
    },
    pendingCount: () => pending.size,
    runAll() {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, t] of due) t.fn();
    },
  };
}
