import { describe, expect, it } from 'vitest';
import { createFaultController } from '../../../server/simulated-connectwise/fault-controller.ts';

const ticketPath = '/v4_6_release/apis/3.0/service/tickets/1001';

describe('fault controller', () => {
  it('applies a counted rule to that many matching requests only', () => {
    const faults = createFaultController();
    faults.set({ kind: 'server-error', status: 503, count: 2 });
    expect(faults.take('GET', ticketPath).fault?.kind).toBe('server-error');
    expect(faults.take('GET', ticketPath).fault?.kind).toBe('server-error');
    expect(faults.take('GET', ticketPath).fault).toBeNull();
    expect(faults.list()).toEqual([]);
  });

  it('matches by path and method', () => {
    const faults = createFaultController();
    faults.set([{ kind: 'reset', path: 'system/info' }, { kind: 'rate-limit', method: 'POST' }]);
    expect(faults.take('GET', ticketPath).fault).toBeNull();
    expect(faults.take('GET', '/x/apis/3.0/system/info').fault?.kind).toBe('reset');
    expect(faults.take('POST', ticketPath).fault?.kind).toBe('rate-limit');
  });

  it('adds latency from every matching latency rule alongside one fault', () => {
    const faults = createFaultController();
    faults.set([{ kind: 'latency', ms: 100 }, { kind: 'latency', ms: 50, path: 'service/tickets/*' }, { kind: 'html-login', count: 1 }]);
    expect(faults.take('GET', ticketPath)).toEqual({ latencyMs: 150, fault: expect.objectContaining({ kind: 'html-login' }) });
    expect(faults.take('GET', ticketPath)).toEqual({ latencyMs: 150, fault: null });
  });

  it('uses the first matching fault and leaves later ones for later requests', () => {
    const faults = createFaultController();
    faults.set([{ kind: 'reset', count: 1 }, { kind: 'malformed-json', count: 1 }]);
    expect(faults.take('GET', ticketPath).fault?.kind).toBe('reset');
    expect(faults.take('GET', ticketPath).fault?.kind).toBe('malformed-json');
  });

  it('refuses an invalid rule with a readable message', () => {
    const faults = createFaultController();
    expect(() => faults.set({ kind: 'server-error', status: 404 } as never)).toThrow(/Invalid fault rule/);
    expect(() => faults.set({ kind: 'explode' } as never)).toThrow(/Invalid fault rule/);
  });

  it('releases hanging requests when aborted or cleared', async () => {
    const faults = createFaultController();
    const aborted = new AbortController();
    const first = faults.hang(aborted.signal);
    aborted.abort();
    await expect(first).resolves.toBeUndefined();
    const second = faults.hang(new AbortController().signal);
    faults.clear();
    await expect(second).resolves.toBeUndefined();
  });
});
