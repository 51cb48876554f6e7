import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SecretKeyError } from '../../../server/tenants/errors/SecretKeyError.ts';
import { migratePostgres } from '../../../server/tenants/postgres-migrations.ts';
import { createPostgresPool } from '../../../server/tenants/postgres-pool.ts';
import { openPostgresTenantStore, type PostgresTenantStoreOptions } from '../../../server/tenants/postgres-store.ts';
import { sealedKeyId } from '../../../server/tenants/secret-box.ts';
import { decodeSecretKey, generateSecretKey, secretKeyId } from '../../../server/tenants/secret-key.ts';
import type { TenantStore } from '../../../server/tenants/tenant.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { tenantWrite } from './fixtures.ts';
import { tenantStoreContract } from './tenant-store-contract.ts';

/** The PostgreSQL tenant store on a real server (one database for this file, emptied per test). */

let db: TestDatabase;
let raw: pg.Pool;
const pools: pg.Pool[] = [];
const stores: TenantStore[] = [];
const key = generateSecretKey();

beforeAll(async () => {
  db = await createTestDatabase();
  raw = new pg.Pool({ connectionString: db.url, max: 2 });
  // The outage test cuts this pool's idle connections too; it reconnects on the next query.
  raw.on('error', () => {});
  raw.on('connect', (client) => client.on('error', () => {}));
  await migratePostgres(raw);
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const p of pools.splice(0)) await p.end();
  await raw.query('TRUNCATE tenants');
});
afterAll(async () => {
  await raw.end();
  await db.drop();
});

/** Each store gets its own pool, as each server instance has. */
async function openStore(options: Partial<PostgresTenantStoreOptions> = {}): Promise<TenantStore> {
  const pool = createPostgresPool({ url: db.url, max: 3 });
  pools.push(pool);
  const store = await openPostgresTenantStore({ pool, secretKey: key, ...options });
  stores.push(store);
  return store;
}

describe('the TenantStore contract, on PostgreSQL', () => {
  tenantStoreContract({
    async fresh() {
      return {
        open: (options = {}) => openStore(options),
        async exec(sql, params = []) {
          let n = 0;
          await raw.query(sql.replace(/\?/g, () => `$${++n}`), params);
        },
        async value(sql) {
          const { rows } = await raw.query(sql);
          return String(Object.values(rows[0] ?? {})[0]);
        },
      };
    },
  });
});

describe('keys on PostgreSQL', () => {
  it('refuses to start with a SECRET_KEY that is not the one the secrets use, naming key ids only', async () => {
    const store = await openStore();
    await store.upsert(tenantWrite('acme'));
    const wrong = generateSecretKey();
    const error = await openStore({ secretKey: wrong }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(SecretKeyError);
    expect(error!.message).toContain(secretKeyId(decodeSecretKey(key)));
    expect(error!.message).toMatch(/same SECRET_KEY/);
    expect(error!.message).not.toContain(key);
    expect(error!.message).not.toContain(wrong);
  });

  it('reads secrets under PREVIOUS_SECRET_KEY and writes new ones under SECRET_KEY', async () => {
    const old = await openStore();
    const { tenant } = await old.upsert(tenantWrite('acme'));
    const next = generateSecretKey();
    const store = await openStore({ secretKey: next, previousSecretKeys: [key] });
    expect(await store.get('acme')).toEqual(tenant);
    await store.upsert(tenantWrite('globex'));
    const { rows } = await raw.query('SELECT company_key, private_key FROM tenants ORDER BY company_key');
    expect(rows.map((r) => [r.company_key, sealedKeyId(r.private_key)])).toEqual([
      ['acme', secretKeyId(decodeSecretKey(key))],
      ['globex', secretKeyId(decodeSecretKey(next))],
    ]);
  });

  it('never stores a key in clear', async () => {
    const store = await openStore();
    const write = tenantWrite('acme');
    await store.upsert(write);
    const { rows } = await raw.query("SELECT row_to_json(t)::text AS j FROM tenants t");
    expect(rows[0].j).toContain('na.myconnectwise.net');
    expect(rows[0].j).not.toContain(write.privateKey);
    expect(rows[0].j).not.toContain(write.publicKey);
  });
});

describe('ping on PostgreSQL', () => {
  it('is false while the database refuses connections, and true again after', async () => {
    const store = await openStore();
    expect(await store.ping()).toBe(true);
    await db.admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
    await db.admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db.name]);
    try {
      await expect.poll(() => store.ping()).toBe(false);
      await expect(store.get('acme')).rejects.toMatchObject({ name: 'DatabaseUnavailableError' });
    } finally {
      await db.admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
    }
    await expect.poll(() => store.ping()).toBe(true);
    expect(await store.get('acme')).toBeNull();
  });
});
