import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationError } from '../../../server/tenants/errors/MigrationError.ts';
import { migratePostgres, postgresMigrations } from '../../../server/tenants/postgres-migrations.ts';
import { createPostgresPool } from '../../../server/tenants/postgres-pool.ts';
import type { Migration } from '../../../server/tenants/migrations.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';

let db: TestDatabase;
let pools: pg.Pool[];

beforeAll(async () => {
  db = await createTestDatabase();
  pools = [createPostgresPool({ url: db.url, max: 2 }), createPostgresPool({ url: db.url, max: 2 })];
});
afterAll(async () => {
  for (const p of pools) await p.end();
  await db.drop();
});

const latest = postgresMigrations.length;
const recorded = async () => (await pools[0]!.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);

describe('PostgreSQL migrations', () => {
  it('applied by two instances starting together, run once (the second waits on the advisory lock, then finds nothing to do)', async () => {
    const [a, b] = await Promise.all(pools.map((p) => migratePostgres(p)));
    expect([...a!.applied, ...b!.applied].sort()).toEqual(postgresMigrations.map((m) => m.version));
    expect(await recorded()).toEqual(postgresMigrations.map((m) => m.version));
    expect((await migratePostgres(pools[0]!)).applied).toEqual([]);
  });

  it('keep nothing of a run whose step fails, and say which step', async () => {
    const broken: Migration = { version: latest + 1, name: 'half done', sql: 'CREATE TABLE extra (id int); INSERT INTO no_such_table VALUES (1);' };
    const error = (await migratePostgres(pools[0]!, [...postgresMigrations, broken]).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toMatch(new RegExp(`Migration ${latest + 1} \\(half done\\) failed: .*no_such_table`));
    const { rows } = await pools[0]!.query("SELECT to_regclass('extra') AS t");
    expect(rows[0].t).toBeNull();
    expect(await recorded()).toEqual(postgresMigrations.map((m) => m.version));
  });

  it('stop start-up with a clear line when the database is newer than the code', async () => {
    const next: Migration = { version: latest + 1, name: 'future', sql: 'CREATE TABLE future_things (id int)' };
    await migratePostgres(pools[0]!, [...postgresMigrations, next]);
    await expect(migratePostgres(pools[1]!)).rejects.toThrow(
      `The database is at schema version ${latest + 1}, newer than this server knows (${latest}); run a newer server or restore a backup.`,
    );
  });
});
