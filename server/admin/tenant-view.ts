import type { TenantView } from '../../shared/admin-api.ts';
import type { Tenant } from '../tenants/tenant.ts';
import { hostedApiValues } from './hosted-api-values.ts';
import { maskSecret } from '../tenants/mask.ts';
import { defaultPodDisplay } from '../../shared/pod-display.ts';

/** A tenant as the admin API answers it: secrets masked, the Hosted API values filled in. */
export function toTenantView(tenant: Tenant, options: { publicUrl: string; cwClientId?: string | undefined }): TenantView {
  return {
    companyId: tenant.companyId,
    siteInput: tenant.siteInput,
    site: tenant.site,
    publicKey: maskSecret(tenant.publicKey),
    privateKey: maskSecret(tenant.privateKey),
    clientId: tenant.clientId,
    effectiveClientId: tenant.clientId ?? options.cwClientId ?? null,
    apiMemberId: tenant.apiMemberId,
    nilearOrigin: tenant.nilearOrigin,
    boardIds: tenant.boardIds,
    sectionAccess: tenant.sectionAccess ?? 'technician',
    podDisplay: tenant.podDisplay ?? defaultPodDisplay,
    createdAt: tenant.createdAt,
    updatedAt: tenant.updatedAt,
    version: tenant.version,
    lastTest: tenant.lastTest,
    hostedApi: hostedApiValues(options.publicUrl, tenant.companyId),
    extraOrigins: tenant.extraOrigins,
    // Issue 11: filled in by GET /tenants/:companyId only (routes/pod-page.ts records them).
    refusedOrigins: [],
  };
}
