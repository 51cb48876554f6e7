import type { ConnectWiseSite } from '../../shared/connectwise-sites.ts';
import type { TenantInput } from '../../shared/admin-api.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import type { Tenant, TenantWrite } from '../tenants/tenant.ts';

/** The settings that decide whether ConnectWise answers the pod at all (issue 11 item 1). */
export type ConnectionField = 'site' | 'publicKey' | 'privateKey' | 'clientId' | 'apiMemberId';

/**
 * Which connection settings a write changes from what is stored. Board filters, the Nilear
 * origin and a re-typed site that normalises to the same origins change none.
 */
export function connectionChanges(stored: Tenant, write: TenantWrite): ConnectionField[] {
  const changed: ConnectionField[] = [];
  if (!sameSite(stored.site, write.site)) changed.push('site');
  if (stored.publicKey !== write.publicKey) changed.push('publicKey');
  if (stored.privateKey !== write.privateKey) changed.push('privateKey');
  if ((stored.clientId ?? null) !== (write.clientId ?? null)) changed.push('clientId');
  if ((stored.apiMemberId ?? '').toLowerCase() !== (write.apiMemberId ?? '').toLowerCase()) changed.push('apiMemberId');
  return changed;
}

export function sameSite(a: ConnectWiseSite, b: ConnectWiseSite): boolean {
  return a.uiOrigin === b.uiOrigin && a.apiOrigin === b.apiOrigin;
}

/**
 * Keys are bound to the site they were entered for (issue 10 item 2): a new site (UI or API
 * origin) needs both keys in the same request, so stored keys never travel to another host,
 * neither in this request's test nor in any later one.
 */
export function assertKeysForNewSite(stored: Tenant, site: ConnectWiseSite, input: TenantInput): void {
  if (sameSite(stored.site, site)) return;
  const missing = (['publicKey', 'privateKey'] as const).filter((k) => input[k] === undefined);
  if (missing.length === 0) return;
  const where = new URL(site.apiOrigin).host;
  throw new ApiError(
    'validation_failed',
    `The site changes to ${where}: enter both API keys (publicKey and privateKey) for it. Stored keys are only ever sent to the site they were entered for.`,
    {
      fields: missing.map((path) => ({
        path,
        message: `the ${path === 'publicKey' ? 'public' : 'private'} key is required when the site changes (stored keys stay with their site)`,
      })),
    },
  );
}
