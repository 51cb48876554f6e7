import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../server/tenants/rotate-key.ts';
import { migratePostgres } from '../../../server/tenants/postgres-migrations.ts';
import { createPostgresPool } from '../../../server/tenants/postgres-pool.ts';
import { openPostgresTenantStore } from '../../../server/tenants/postgres-store.ts';
import { sealedKeyId } from '../../../server/tenants/secret-box.ts';
import { decodeSecretKey, generateSecretKey, secretKeyId } from '../../../server/tenants/secret-key.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { tenantWrite, testResult } from './fixtures.ts';

/** `npm run rotate-key` with DATABASE_URL: every secret re-sealed in one transaction. */

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPostgresPool({ url: db.url, max: 3 });
  await migratePostgres(pool);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const idOf = (key: string) => secretKeyId(decodeSecretKey(key));
const keyIds = async () =>
  (await pool.query('SELECT public_key, private_key FROM tenants ORDER BY company_key')).rows.flatMap((r) => [
    sealedKeyId(r.public_key),
    sealedKeyId(r.private_key),
  ]);

async function run(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([], { DATABASE_URL: db.url, ...env }, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('rotate-key on PostgreSQL', () => {
  it('re-encrypts every secret under SECRET_KEY in one transaction, tenants otherwise untouched; stops with nothing changed when a secret cannot be opened', async () => {
    const oldKey = generateSecretKey();
    const store = await openPostgresTenantStore({ pool, secretKey: oldKey });
    for (const id of ['acme', 'Globex', 'initech']) await store.upsert(tenantWrite(id));
    await store.saveTestResult('initech', testResult(true));
    const before = await store.list();
    const newKey = generateSecretKey();

    // Without the old key nothing can be opened: refused, nothing changed.
    const refused = await run({ SECRET_KEY: newKey });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^Key rotation stopped, nothing was re-encrypted: .*PREVIOUS_SECRET_KEY/);
    expect(new Set(await keyIds())).toEqual(new Set([idOf(oldKey)]));

    // One unreadable secret stops the whole rotation: the other tenants keep their old seal.
    const sealed = (await pool.query("SELECT private_key FROM tenants WHERE company_key = 'globex'")).rows[0].private_key as string;
    await pool.query("UPDATE tenants SET private_key = public_key WHERE company_key = 'globex'");
    const stopped = await run({ SECRET_KEY: newKey, PREVIOUS_SECRET_KEY: oldKey });
    expect(stopped.code).toBe(1);
    expect(stopped.err).toMatch(/Tenant "Globex"/);
    expect(new Set(await keyIds())).toEqual(new Set([idOf(oldKey)]));
    await pool.query("UPDATE tenants SET private_key = $1 WHERE company_key = 'globex'", [sealed]);

    const done = await run({ SECRET_KEY: newKey, PREVIOUS_SECRET_KEY: oldKey });
    expect(done.code).toBe(0);
    expect(done.out).toContain(`Re-encrypted 6 secret(s) of 3 tenant(s) under SECRET_KEY (key id ${idOf(newKey)})`);
    expect(await keyIds()).toEqual(Array(6).fill(idOf(newKey)));
    const after = await openPostgresTenantStore({ pool, secretKey: newKey });
    expect(await after.list()).toEqual(before);
  });

  it('needs SECRET_KEY with DATABASE_URL', async () => {
    const result = await run({});
    expect(result.code).toBe(1);
    expect(result.err).toBe('SECRET_KEY is required with DATABASE_URL: set it to the new key, and PREVIOUS_SECRET_KEY to the key in use.');
  });
});
