import type pg from 'pg';
import { MigrationError } from './errors/MigrationError.ts';
import type { Migration } from './migrations.ts';

/**
 * The PostgreSQL schema, step by step, kept in step with ./migrations.ts (SQLite): the same
 * tables and columns with the same text encodings, so one row codec (./tenant-row.ts) reads
 * both. Never edit a step that has shipped: add the next one. Tables only a shared database
 * needs (rate-limit counters) live here alone.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create tenants',
    sql: `
      CREATE TABLE tenants (
        company_key   text PRIMARY KEY,
        company_id    text NOT NULL,
        site_input    text NOT NULL,
        site          text NOT NULL,
        public_key    text NOT NULL,
        private_key   text NOT NULL,
        client_id     text,
        api_member_id text,
        nilear_origin text,
        board_ids     text NOT NULL,
        created_at    text NOT NULL,
        updated_at    text NOT NULL,
        version       integer NOT NULL CHECK (version >= 1),
        last_test     text,
        CHECK (company_key = lower(company_id))
      );
    `,
  },
  {
    // Issue 10: whose ConnectWise rights decide the pod's optional sections (SQLite migration 2).
    version: 2,
    name: 'tenant section access',
    sql: `
      ALTER TABLE tenants ADD COLUMN section_access text NOT NULL DEFAULT 'technician'
        CHECK (section_access IN ('technician', 'apiMember'));
    `,
  },
  {
    version: 3,
    name: 'admin session revocations',
    sql: `
      CREATE TABLE admin_session_revocations (
        session_id text PRIMARY KEY,
        expires_at bigint NOT NULL
      );
      CREATE INDEX admin_session_revocations_expiry ON admin_session_revocations (expires_at);
    `,
  },
  {
    version: 4,
    name: 'rate limit counters',
    sql: `
      CREATE UNLOGGED TABLE rate_limit_hits (
        key      text PRIMARY KEY,
        hits     integer NOT NULL,
        reset_at timestamptz NOT NULL
      );
      CREATE INDEX rate_limit_hits_reset ON rate_limit_hits (reset_at);
    `,
  },
  {
    // Issue 11: extra addresses that may frame the pod (SQLite migration 3), a JSON array.
    version: 5,
    name: 'add tenants.extra_origins',
    sql: `ALTER TABLE tenants ADD COLUMN extra_origins text NOT NULL DEFAULT '[]';`,
  },
  {
    // Issue 12: colour scheme and configuration link templates (SQLite migration 5); NULL reads as the defaults.
    version: 6,
    name: 'tenant pod display settings',
    sql: `ALTER TABLE tenants ADD COLUMN pod_display text;`,
  },
];

/** Any constant works; this one is "cwpod" in ASCII, so it is recognisable in pg_locks. */
export const migrationLockId = 0x6377706f64;

/**
 * Brings the schema up to date in ONE transaction under a transaction-scoped advisory lock:
 * instances starting together queue on the lock, and the second finds nothing left to do. A
 * failing step rolls back every step of this run. A database newer than this code stops
 * start-up (an older instance must not write rows it does not understand).
 */
export async function migratePostgres(
  pool: pg.Pool,
  list: readonly Migration[] = postgresMigrations,
): Promise<{ applied: number[]; version: number }> {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`Migration "${m.name}" is numbered ${m.version}, expected ${i + 1}.`);
  });
  const latest = list.length;
  const client = await pool.connect();
  const applied: number[] = [];
  let current: Migration | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockId]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations');
    const stored = rows[0]?.v ?? 0;
    if (stored > latest) {
      throw new MigrationError(
        `The database is at schema version ${stored}, newer than this server knows (${latest}); run a newer server or restore a backup.`,
      );
    }
    for (const m of list) {
      if (m.version <= stored) continue;
      current = m;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    current = undefined;
    await client.query('COMMIT');
    return { applied, version: latest };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof MigrationError) throw error;
    const what = current === undefined ? 'Migrating the database' : `Migration ${current.version} (${current.name})`;
    throw new MigrationError(`${what} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    client.release();
  }
}
