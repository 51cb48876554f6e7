import { describe, expect, it } from 'vitest';
import { applyFaultPreset, type FetchLike } from '../../../../pod/harness/host/faults.ts';
import { harnessConfig } from '../harness-fixtures.ts';

function recordingFetch(status: (method: string) => number = () => 204) {
  const calls: { url: string; method: string; body?: string }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    const method = init?.method ?? 'GET';
    calls.push({ url, method, ...(init?.body !== undefined ? { body: init.body } : {}) });
    const s = status(method);
    return { ok: s < 400, status: s, text: async () => (s < 400 ? '' : 'bad rule') };
  };
  return { calls, fetchFn };
}

describe('fault presets', () => {
  const slow = harnessConfig().faultPresets[0]!;

  it('clears what is active, then posts the preset rules', async () => {
    const f = recordingFetch();
    await expect(applyFaultPreset(f.fetchFn, slow)).resolves.toEqual({ ok: true, active: slow.rules });
    expect(f.calls).toEqual([
      { url: '/__sim/faults', method: 'DELETE' },
      { url: '/__sim/faults', method: 'POST', body: JSON.stringify([{ kind: 'latency', ms: 2000 }]) },
    ]);
  });

  it('only clears for "none"', async () => {
    const f = recordingFetch();
    await expect(applyFaultPreset(f.fetchFn, null)).resolves.toEqual({ ok: true, active: [] });
    expect(f.calls.map((c) => c.method)).toEqual(['DELETE']);
  });

  it('reports the simulator refusing a rule', async () => {
    const f = recordingFetch((m) => (m === 'POST' ? 400 : 204));
    await expect(applyFaultPreset(f.fetchFn, slow)).resolves.toEqual({
      ok: false,
      error: 'injecting "Slow (2 s)" failed: HTTP 400 bad rule',
    });
  });
});
