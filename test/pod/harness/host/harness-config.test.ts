import { describe, expect, it } from 'vitest';
import { loadHarnessConfig } from '../../../../pod/harness/host/harness-config.ts';
import type { FetchLike } from '../../../../pod/harness/host/faults.ts';
import { harnessConfig } from '../harness-fixtures.ts';

const answer = (status: number, body: string): FetchLike => async () => ({ ok: status < 400, status, text: async () => body });

describe('harness config', () => {
  it('parses the simulator payload with the shared schema', async () => {
    const config = harnessConfig();
    await expect(loadHarnessConfig(answer(200, JSON.stringify(config)))).resolves.toEqual({ ok: true, config });
  });

  it('says which field is wrong', async () => {
    const bad = { ...harnessConfig(), podOrigin: 42 };
    const result = await loadHarnessConfig(answer(200, JSON.stringify(bad)));
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('"podOrigin"') });
  });

  it('reports an HTTP error, a non-JSON body and a network failure', async () => {
    await expect(loadHarnessConfig(answer(404, 'nope'))).resolves.toMatchObject({ ok: false, error: expect.stringContaining('HTTP 404') });
    await expect(loadHarnessConfig(answer(200, '<html>'))).resolves.toMatchObject({ ok: false, error: expect.stringContaining('not return JSON') });
    const down: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(loadHarnessConfig(down)).resolves.toMatchObject({ ok: false, error: expect.stringContaining('Failed to fetch') });
  });
});
