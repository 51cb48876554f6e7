import { describe, expect, it } from 'vitest';
import { Tenant, TenantWrite } from '../../../server/tenants/tenant.ts';
import { tenantWrite, testResult } from './fixtures.ts';

const now = new Date().toISOString();

describe('Tenant', () => {
  it('accepts a complete tenant', () => {
    const tenant = { ...tenantWrite('Acme'), createdAt: now, updatedAt: now, version: 1, lastTest: testResult(true) };
    expect(Tenant.parse(tenant)).toEqual(tenant);
  });

  it('rejects a company id ConnectWise would not issue', () => {
    const result = Tenant.safeParse({ ...tenantWrite('a b'), createdAt: now, updatedAt: now, version: 1, lastTest: null });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['companyId']);
  });

  it('rejects version 0, board ids that are not positive integers and a malformed site', () => {
    const result = Tenant.safeParse({
      ...tenantWrite('acme', { boardIds: [1, -2] }),
      site: { uiOrigin: 'x' },
      createdAt: now,
      updatedAt: now,
      version: 0,
      lastTest: null,
    });
    const paths = result.error?.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['version', 'boardIds', 'site']));
  });
});

describe('TenantWrite', () => {
  it('drops the fields the store keeps, so a tenant read back can be written again', () => {
    const tenant = { ...tenantWrite('acme'), createdAt: now, updatedAt: now, version: 7, lastTest: null };
    const write = TenantWrite.parse(tenant);
    expect(write).toEqual(tenantWrite('acme', { publicKey: write.publicKey, privateKey: write.privateKey }));
    expect(Object.keys(write)).not.toContain('version');
  });

  it('requires both keys', () => {
    const result = TenantWrite.safeParse({ ...tenantWrite('acme'), privateKey: '' });
    expect(result.error?.issues[0]?.path).toEqual(['privateKey']);
  });
});
