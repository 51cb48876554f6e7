import type { Configuration } from '../../shared/ticket-context.ts';
import type { CwCompanyConfiguration, CwConfigurationReference } from './schemas/configurations.ts';
import { optional, present } from './normalise-common.ts';

function fromDetail(c: CwCompanyConfiguration): Configuration {
  return {
    id: c.id,
    name: present(c.name),
    type: present(c.type?.name),
    status: present(c.status?.name),
    serialNumber: present(c.serialNumber),
    modelNumber: present(c.modelNumber),
    tagNumber: present(c.tagNumber),
    ipAddress: present(c.ipAddress),
    osType: present(c.osType),
    lastLoginName: present(c.lastLoginName),
    warrantyExpiration: present(c.warrantyExpirationDate),
    active: optional(c.activeFlag),
  };
}

/**
 * The ticket's configurations in the ticket's order. A reference whose details did not
 * come back (deleted, or outside the API member's reach) still shows with the name the
 * ticket gives it, rather than vanishing.
 */
export function normaliseConfigurations(
  refs: readonly CwConfigurationReference[],
  details: readonly CwCompanyConfiguration[],
): Configuration[] {
  const byId = new Map(details.map((d) => [d.id, d]));
  const seen = new Set<number>();
  const out: Configuration[] = [];
  for (const r of refs) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const detail = byId.get(r.id);
    const deviceIdentifier = present(r.deviceIdentifier);
    const row = detail === undefined ? { id: r.id, name: deviceIdentifier } : fromDetail(detail);
    // Issue 12: link templates may use the ticket's device identifier.
    out.push(deviceIdentifier === undefined ? row : { ...row, deviceIdentifier });
  }
  return out;
}
