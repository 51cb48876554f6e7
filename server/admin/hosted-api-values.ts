import type { HostedApiValues } from '../../shared/admin-api.ts';

/** The pod's fixed height in ConnectWise; the pod's layout is built for it (docs/connectwise.md §6). */
export const POD_HEIGHT = 900;

/** At most 50 characters (ConnectWise's limit on `description`). */
export const POD_DESCRIPTION = 'Ticket context';

export const POD_SCREEN = 'Service Ticket';

/** The path ConnectWise frames for one tenant, without query. */
export function podPath(companyId: string): string {
  return `/hostedapis/connectwiseiframe/${encodeURIComponent(companyId)}`;
}

/** The bare origin of PUBLIC_URL: what ConnectWise's "Origin" field wants (no slash, no path). */
export function podOrigin(publicUrl: string): string {
  return new URL(publicUrl).origin;
}

/**
 * The values an admin enters in System › Setup Tables › Manage Hosted API, and that
 * "Register in ConnectWise" sends. ConnectWise substitutes `[cw_id]` and `[cw_screen]`.
 */
export function hostedApiValues(publicUrl: string, companyId: string): HostedApiValues {
  const origin = podOrigin(publicUrl);
  const url = `${origin}${podPath(companyId)}?id=[cw_id]&screen=[cw_screen]`;
  return {
    description: POD_DESCRIPTION,
    screen: POD_SCREEN,
    origin,
    url,
    nilearUrl: `${url}&nilear=true`,
    podHeight: POD_HEIGHT,
  };
}

/**
 * True when a setup row's URL is this server's pod for this company (any query: with or
 * without `nilear=true`, tokens or not). Company ids compare case-insensitively, as the
 * store looks them up.
 */
export function isOurPodUrl(url: string, publicUrl: string, companyId: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin !== podOrigin(publicUrl)) return false;
  return decodeURIComponent(parsed.pathname).replace(/\/+$/, '').toLowerCase() === decodeURIComponent(podPath(companyId)).toLowerCase();
}
