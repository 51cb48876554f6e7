import type { Request } from 'express';
import { normaliseOrigin } from '../../shared/origins.ts';
import type { Tenant } from '../tenants/tenant.ts';

/**
 * The origin of the page framing this request, from its Referer (Chromium sends the framing
 * page's origin on a cross-origin frame navigation), or null: no Referer (a referrer policy
 * of no-referrer, a typed address), one that is not an http(s) origin, or a request that is
 * not a frame load (a top-level visit from a link names the linking page, not a host).
 */
export function framingOrigin(req: Request): string | null {
  const dest = req.get('sec-fetch-dest');
  if (dest !== undefined && dest !== 'iframe' && dest !== 'frame') return null;
  const referer = req.get('referer');
  if (referer === undefined || referer.length > 2000) return null;
  try {
    return normaliseOrigin(new URL(referer).origin);
  } catch {
    return null;
  }
}

/** The origins a tenant's pod accepts as its host, in `nilear` mode or not. */
export function expectedOrigins(tenant: Tenant, nilear: boolean): string[] {
  const origins = [tenant.site.uiOrigin];
  // A stored origin that is not exact (kept from before origins were checked) counts as unset.
  const nilearOrigin = normaliseOrigin(tenant.nilearOrigin);
  if (nilear && nilearOrigin !== null) origins.push(nilearOrigin);
  for (const stored of tenant.extraOrigins) {
    const extra = normaliseOrigin(stored);
    if (extra !== null && !origins.includes(extra)) origins.push(extra);
  }
  return origins;
}
