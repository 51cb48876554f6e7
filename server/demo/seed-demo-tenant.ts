import { normaliseSite } from '../../shared/connectwise-sites.ts';
import type { Tenant, TenantStore } from '../tenants/tenant.ts';
import { CorruptTenantError } from '../tenants/errors/CorruptTenantError.ts';
import { demoApiMember, demoClientId, demoCompanyId } from '../simulated-connectwise/demo.ts';

/**
 * Demo mode: a tenant pointing at the simulated ConnectWise, so `npm start` shows a working
 * pod in the harness at once. Re-seeded at every start (the simulator's port may change);
 * its connection test passes against the simulator.
 */
export async function seedDemoTenant(
  store: TenantStore,
  options: { simulatorOrigin: string; nilearOrigin: string },
): Promise<void> {
  const site = normaliseSite(options.simulatorOrigin);
  if (!site.ok) throw new Error(`demo simulator origin is not a site: ${site.message}`);
  let existing: Tenant | null;
  try {
    existing = await store.get(demoCompanyId);
  } catch (err) {
    // An unreadable demo row (say, after a key change) is simply replaced: it is demo data.
    if (!(err instanceof CorruptTenantError)) throw err;
    existing = null;
  }
  await store.upsert(
    {
      companyId: demoCompanyId,
      siteInput: options.simulatorOrigin,
      site: site.site,
      publicKey: demoApiMember.publicKey,
      privateKey: demoApiMember.privateKey,
      clientId: demoClientId,
      apiMemberId: demoApiMember.identifier,
      nilearOrigin: options.nilearOrigin,
      boardIds: existing?.boardIds ?? [],
      sectionAccess: existing?.sectionAccess ?? 'technician',
      extraOrigins: existing?.extraOrigins ?? [],
    },
    existing !== null ? { expectedVersion: existing.version } : {},
  );
}
