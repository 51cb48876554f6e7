import type { FaultPreset, FaultRule } from '../../../shared/harness-api.ts';

/**
 * Fault injection in the simulated ConnectWise (same origin as the harness). Rules add up on
 * the simulator, so choosing a preset first clears what is there: the select then always
 * shows what is active.
 */
export const CLEAR_FAULTS_ID = '__clear';

export type FetchLike = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

export type FaultResult = { ok: true; active: readonly FaultRule[] } | { ok: false; error: string };

async function expectOk(response: Awaited<ReturnType<FetchLike>>, what: string): Promise<string | null> {
  if (response.ok) return null;
  const body = (await response.text().catch(() => '')).slice(0, 300);
  return `${what} failed: HTTP ${response.status}${body === '' ? '' : ` ${body}`}`;
}

export async function applyFaultPreset(fetchFn: FetchLike, preset: FaultPreset | null): Promise<FaultResult> {
  try {
    const cleared = await expectOk(await fetchFn('/__sim/faults', { method: 'DELETE' }), 'clearing faults');
    if (cleared !== null) return { ok: false, error: cleared };
    if (preset === null || preset.rules.length === 0) return { ok: true, active: [] };
    const added = await expectOk(
      await fetchFn('/__sim/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(preset.rules),
      }),
      `injecting "${preset.label}"`,
    );
    return added === null ? { ok: true, active: preset.rules } : { ok: false, error: added };
  } catch (err) {
    return { ok: false, error: `the simulator did not answer: ${err instanceof Error ? err.message : String(err)}` };
  }
}
