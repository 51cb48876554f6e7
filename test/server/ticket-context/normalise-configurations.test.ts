import { describe, expect, it } from 'vitest';
import { Configuration } from '../../../shared/ticket-context.ts';
import { normaliseConfigurations } from '../../../server/ticket-context/normalise-configurations.ts';
import { CwCompanyConfigurationList, CwConfigurationReferenceList } from '../../../server/ticket-context/schemas/configurations.ts';
import { nullFilled, richConfigurationRefs, richConfigurations } from './cw-fixtures.ts';

describe('normaliseConfigurations', () => {
  it('lists the ticket’s configurations in the ticket’s order with their details', () => {
    const configs = normaliseConfigurations(
      CwConfigurationReferenceList.parse(richConfigurationRefs),
      CwCompanyConfigurationList.parse(richConfigurations),
    );
    for (const c of configs) expect(Configuration.parse(c)).toEqual(c);
    expect(configs.map((c) => c.id)).toEqual([501, 502, 503]);
    expect(configs[0]).toEqual({
      id: 501,
      name: 'ACME-PRN-02',
      type: 'Printer',
      status: 'Active',
      serialNumber: 'PRN456',
      modelNumber: 'LaserJet',
      tagNumber: 'T-1',
      ipAddress: '10.0.0.50',
      osType: 'Embedded',
      lastLoginName: 'printer',
      warrantyExpiration: '2025-06-30T00:00:00Z',
      active: true,
      deviceIdentifier: 'ACME-PRN-02',
    });
  });

  it('keeps a configuration whose details did not come back, under the ticket’s name for it', () => {
    const configs = normaliseConfigurations(CwConfigurationReferenceList.parse(richConfigurationRefs), []);
    expect(configs).toEqual([
      { id: 501, name: 'ACME-PRN-02', deviceIdentifier: 'ACME-PRN-02' },
      { id: 502, name: 'ACME-SW-01', deviceIdentifier: 'ACME-SW-01' },
      { id: 503, name: 'Gone device', deviceIdentifier: 'Gone device' },
    ]);
  });

  it('reads null-filled references and details', () => {
    const configs = normaliseConfigurations(
      CwConfigurationReferenceList.parse(richConfigurationRefs.map(nullFilled)),
      CwCompanyConfigurationList.parse(richConfigurations.map(nullFilled)),
    );
    for (const c of configs) expect(Configuration.parse(c)).toEqual(c);
    expect(configs.map((c) => c.id)).toEqual([501, 502, 503]);
    expect(configs[0]?.name).toBeUndefined();
  });

  it('lists a configuration attached twice once', () => {
    const configs = normaliseConfigurations(CwConfigurationReferenceList.parse([{ id: 1 }, { id: 1 }]), []);
    expect(configs).toEqual([{ id: 1, name: undefined }]);
  });
});
