import type { Company } from '../../shared/ticket-context.ts';
import type { CwCompany } from './schemas/company.ts';
import { present } from './normalise-common.ts';

function address(company: CwCompany): Company['address'] {
  const country = typeof company.country === 'string' ? company.country : company.country?.name;
  const out = {
    line1: present(company.addressLine1),
    line2: present(company.addressLine2),
    city: present(company.city),
    state: present(company.state),
    zip: present(company.zip),
    country: present(country),
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

/** ConnectWise's Company → the pod's Company. */
export function normaliseCompany(company: CwCompany): Company {
  return {
    id: company.id,
    identifier: present(company.identifier),
    name: present(company.name),
    status: present(company.status?.name),
    statusId: company.status?.id ?? undefined,
    types: (company.types ?? []).flatMap((t) => {
      const name = present(t.name);
      return name === undefined ? [] : [name];
    }),
    phone: present(company.phoneNumber),
    website: present(company.website),
    address: address(company),
    territory: present(company.territory?.name),
    deleted: company.deletedFlag ?? undefined,
  };
}
