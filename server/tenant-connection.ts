import type { Tenant } from './tenants/tenant.ts';
import type { TenantConnection } from './connectwise/tenant-api.ts';

/** What the ConnectWise client needs of a tenant, with the clientId that is actually sent. */
export function tenantConnection(tenant: Tenant, defaultClientId: string | undefined): TenantConnection {
  return {
    companyId: tenant.companyId,
    site: tenant.site,
    publicKey: tenant.publicKey,
    privateKey: tenant.privateKey,
    clientId: tenant.clientId ?? defaultClientId ?? '',
  };
}
