import { createHash } from 'node:crypto';
import type { ConnectWiseSite } from '../../shared/connectwise-sites.ts';
import { CONNECTWISE_ACCEPT } from './api-version.ts';

/** What the client needs to talk to one tenant's ConnectWise. `clientId` is the effective one. */
export type TenantConnection = {
  companyId: string;
  site: ConnectWiseSite;
  publicKey: string;
  privateKey: string;
  clientId: string;
};

/** Identifies a tenant's configuration without holding its keys: changes when anything changes. */
export function tenantKey(t: TenantConnection): string {
  return createHash('sha256')
    .update(JSON.stringify([t.companyId.toLowerCase(), t.site.uiOrigin, t.site.apiOrigin, t.publicKey, t.privateKey, t.clientId]))
    .digest('hex');
}

/** Identifies where a tenant lives (company and site), for what does not depend on its keys. */
export function siteKey(t: Pick<TenantConnection, 'companyId' | 'site'>): string {
  return JSON.stringify([t.companyId.toLowerCase(), t.site.uiOrigin, t.site.apiOrigin]);
}

/** Headers every REST call carries: the pinned model version and the clientId. */
export function restHeaders(clientId: string): Record<string, string> {
  return clientId ? { Accept: CONNECTWISE_ACCEPT, clientId } : { Accept: CONNECTWISE_ACCEPT };
}

/** `Authorization: Basic base64("<companyId>+<publicKey>:<privateKey>")` (docs/connectwise.md §4.2). */
export function apiKeyAuthorization(t: TenantConnection): string {
  return `Basic ${Buffer.from(`${t.companyId}+${t.publicKey}:${t.privateKey}`, 'utf8').toString('base64')}`;
}
