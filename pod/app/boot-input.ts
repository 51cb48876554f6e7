import { PodConfig, TicketId } from '../../shared/pod-api.ts';
import type { UrlTicket } from './pod-state.ts';

/**
 * What the pod knows before any message: the tenant's public settings, written into the
 * page by the server, and the tokens ConnectWise substituted into the URL.
 */
export type ConfigResult = { ok: true; config: PodConfig } | { ok: false; reason: string };

export function readPodConfig(doc: Pick<Document, 'getElementById'>): ConfigResult {
  const element = doc.getElementById('pod-config');
  if (!element) return { ok: false, reason: 'the page has no pod settings block' };
  let raw: unknown;
  try {
    raw = JSON.parse(element.textContent ?? '');
  } catch {
    return { ok: false, reason: 'the pod settings block is not valid JSON' };
  }
  const parsed = PodConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    return { ok: false, reason: `the pod settings are invalid (${where}${issue?.message ?? 'unexpected shape'})` };
  }
  return { ok: true, config: parsed.data };
}

/** `[cw_id]` left as is means ConnectWise did not substitute it: the setup URL or the screen lacks it. */
export function readUrlTicket(params: URLSearchParams): UrlTicket {
  const raw = params.get('id');
  if (raw === null || raw.trim() === '') return { kind: 'missing' };
  if (/^\[cw_id\]$/i.test(raw.trim())) return { kind: 'not_substituted' };
  const parsed = TicketId.safeParse(raw.trim());
  return parsed.success ? { kind: 'id', id: parsed.data } : { kind: 'invalid', raw: raw.slice(0, 40) };
}

/** The screen name, lower-cased, or null when absent or not substituted. */
export function readUrlScreen(params: URLSearchParams): string | null {
  const raw = params.get('screen')?.trim().toLowerCase();
  if (!raw || raw === '[cw_screen]' || !/^[a-z]{1,40}$/.test(raw)) return null;
  return raw;
}
