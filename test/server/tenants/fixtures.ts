import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { ConnectionTestResult } from '../../../shared/admin-api.ts';
import { normaliseSite } from '../../../shared/connectwise-sites.ts';
import type { TenantWrite } from '../../../server/tenants/tenant.ts';

const made: string[] = [];

/** A fresh temp directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pod-tenants-'));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

let counter = 0;

/** Distinct, recognisable secrets so a test can look for them in raw bytes. */
export function secretsFor(companyId: string): { publicKey: string; privateKey: string } {
  counter += 1;
  return { publicKey: `PUB${companyId}Xq7${counter}pk`, privateKey: `PRIV${companyId}Zr9${counter}sk` };
}

export function tenantWrite(companyId: string, overrides: Partial<TenantWrite> = {}): TenantWrite {
  const site = normaliseSite('na.myconnectwise.net');
  if (!site.ok) throw new Error(site.message);
  return {
    companyId,
    siteInput: 'na.myconnectwise.net',
    site: site.site,
    ...secretsFor(companyId),
    clientId: null,
    apiMemberId: 'podapi',
    nilearOrigin: null,
    boardIds: [],
    sectionAccess: 'technician',
    extraOrigins: [],
    ...overrides,
  };
}

export function testResult(ok: boolean): ConnectionTestResult {
  return {
    ok,
    ranAt: new Date().toISOString(),
    steps: [{ id: 'site', status: ok ? 'ok' : 'failed', message: 'reached the site', fix: '' }],
  };
}
