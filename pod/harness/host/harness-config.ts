import * as z from 'zod/mini';
import { HarnessConfig } from '../../../shared/harness-api.ts';
import type { FetchLike } from './faults.ts';

export type ConfigResult = { ok: true; config: HarnessConfig } | { ok: false; error: string };

/** GET /__sim/harness-config from the simulator that serves this page, parsed at the edge. */
export async function loadHarnessConfig(fetchFn: FetchLike): Promise<ConfigResult> {
  let text: string;
  try {
    const response = await fetchFn('/__sim/harness-config', { headers: { accept: 'application/json' } });
    text = await response.text();
    if (!response.ok) return { ok: false, error: `GET /__sim/harness-config answered HTTP ${response.status}` };
  } catch (err) {
    return { ok: false, error: `GET /__sim/harness-config failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'GET /__sim/harness-config did not return JSON' };
  }
  const parsed = z.safeParse(HarnessConfig, json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    return { ok: false, error: `the harness config is not valid at "${path || '(root)'}": ${issue?.code ?? 'invalid'}` };
  }
  return { ok: true, config: parsed.data };
}
