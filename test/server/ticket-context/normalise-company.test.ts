import { describe, expect, it } from 'vitest';
import { Company } from '../../../shared/ticket-context.ts';
import { normaliseCompany } from '../../../server/ticket-context/normalise-company.ts';
import { CwCompany } from '../../../server/ticket-context/schemas/company.ts';
import { nullFilled, richCompany } from './cw-fixtures.ts';

describe('normaliseCompany', () => {
  it('maps a rich ConnectWise company', () => {
    const company = normaliseCompany(CwCompany.parse(richCompany));
    expect(Company.parse(company)).toEqual(company);
    expect(company).toEqual({
      id: 250,
      identifier: 'AcmeCorp',
      name: 'Acme Corporation',
      status: 'Active',
      statusId: 1,
      types: ['Client', 'Managed'],
      phone: '5550001111',
      website: 'acme.example',
      address: { line1: '1 Main St', line2: 'Floor 2', city: 'Springfield', state: 'IL', zip: '62701', country: 'United States' },
      territory: 'North',
      deleted: false,
    });
  });

  it('reads a company whose every field but the id is null', () => {
    const company = normaliseCompany(CwCompany.parse(nullFilled(richCompany)));
    expect(Company.parse(company)).toEqual(company);
    expect(company).toMatchObject({ id: 250, types: [] });
    expect(company.address).toBeUndefined();
    expect(company.deleted).toBeUndefined();
  });

  it('accepts a country sent as plain text', () => {
    expect(normaliseCompany(CwCompany.parse({ id: 1, country: 'Canada' })).address).toMatchObject({ country: 'Canada' });
  });
});
