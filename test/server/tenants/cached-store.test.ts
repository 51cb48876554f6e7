import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTenantCache } from '../../../server/tenants/cached-store.ts';
import { openSqliteTenantStore } from '../../../server/tenants/sqlite-store.ts';
import type { TenantStore, TenantWrite } from '../../../server/tenants/tenant.ts';

let dir: string;
let store: TenantStore;

const write = (overrides: Partial<TenantWrite> = {}): TenantWrite => ({
  companyId: 'Acme',
  siteInput: 'na.myconnectwise.net',
  site: { uiOrigin: 'https://na.myconnectwise.net', apiOrigin: 'https://api-na.myconnectwise.net', region: 'na', kind: 'cloud' },
  publicKey: 'pub-key-0001',
  privateKey: 'priv-key-0001',
  clientId: null,
  apiMemberId: null,
  nilearOrigin: null,
  boardIds: [],
  ...overrides,
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cached-store-'));
  store = await openSqliteTenantStore({ dataDir: dir });
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the tenant cache', () => {
  it('answers repeated reads from memory, whatever the case of the id', async () => {
    await store.upsert(write());
    const get = vi.spyOn(store, 'get');
    const cached = withTenantCache(store, { ttlMs: 60_000 });
    expect((await cached.get('acme'))?.privateKey).toBe('priv-key-0001');
    expect((await cached.get('ACME'))?.privateKey).toBe('priv-key-0001');
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('remembers an unknown company, until it is created through the cache', async () => {
    const cached = withTenantCache(store, { ttlMs: 60_000 });
    expect(await cached.get('acme')).toBeNull();
    await cached.upsert(write());
    expect((await cached.get('acme'))?.companyId).toBe('Acme');
  });

  it('sees its own updates, deletes and test results at once', async () => {
    const cached = withTenantCache(store, { ttlMs: 60_000 });
    const { tenant } = await cached.upsert(write());
    await cached.get('acme');
    await cached.upsert(write({ privateKey: 'priv-key-0002' }), { expectedVersion: tenant.version });
    expect((await cached.get('acme'))?.privateKey).toBe('priv-key-0002');
    await cached.saveTestResult('acme', { ok: true, ranAt: new Date().toISOString(), steps: [] });
    expect((await cached.get('acme'))?.lastTest?.ok).toBe(true);
    await cached.delete('acme');
    expect(await cached.get('acme')).toBeNull();
  });

  it('does not put back a tenant read before a write that finished first', async () => {
    await store.upsert(write());
    const cached = withTenantCache(store, { ttlMs: 60_000 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const realGet = store.get.bind(store);
    vi.spyOn(store, 'get').mockImplementationOnce(async (id) => {
      const before = await realGet(id);
      await gate;
      return before;
    });
    const slowRead = cached.get('acme');
    const current = await realGet('acme');
    await cached.upsert(write({ privateKey: 'priv-key-0003' }), { expectedVersion: current!.version });
    release();
    expect((await slowRead)?.privateKey).toBe('priv-key-0001');
    expect((await cached.get('acme'))?.privateKey).toBe('priv-key-0003');
  });

  it('sees a write made elsewhere once the entry expires', async () => {
    let now = 1_000;
    const cached = withTenantCache(store, { ttlMs: 5_000, now: () => now });
    expect(await cached.get('acme')).toBeNull();
    await store.upsert(write());
    expect(await cached.get('acme')).toBeNull();
    now += 6_000;
    expect((await cached.get('acme'))?.companyId).toBe('Acme');
  });
});
