import type { DatabaseSync } from 'node:sqlite';
import { MigrationError } from './errors/MigrationError.ts';
import { immediateTransaction } from './transaction.ts';

export type Migration = { version: number; name: string; sql: string };

/**
 * The schema, one step at a time. Never edit a migration that has shipped: add the next one.
 * Secrets are stored sealed (./secret-box.ts); JSON columns hold what the Tenant schema parses.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create tenants',
    sql: `
      CREATE TABLE tenants (
        company_key   TEXT PRIMARY KEY NOT NULL,
        company_id    TEXT NOT NULL,
        site_input    TEXT NOT NULL,
        site          TEXT NOT NULL,
        public_key    TEXT NOT NULL,
        private_key   TEXT NOT NULL,
        client_id     TEXT,
        api_member_id TEXT,
        nilear_origin TEXT,
        board_ids     TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        version       INTEGER NOT NULL CHECK (version >= 1),
        last_test     TEXT,
        CHECK (company_key = lower(company_id))
      ) STRICT;
    `,
  },
  {
    // Issue 10: whose ConnectWise rights decide the pod's optional sections.
    version: 2,
    name: 'tenant section access',
    sql: `
      ALTER TABLE tenants ADD COLUMN section_access TEXT NOT NULL DEFAULT 'technician'
        CHECK (section_access IN ('technician', 'apiMember'));
    `,
  },
  {
    // Issue 11: extra addresses that may frame the pod (Tenant.extraOrigins), a JSON array.
    version: 3,
    name: 'add tenants.extra_origins',
    sql: `ALTER TABLE tenants ADD COLUMN extra_origins TEXT NOT NULL DEFAULT '[]';`,
  },
  {
    // Issue 13: console sign-outs survive a restart (server/admin/session-revocations.ts).
    version: 4,
    name: 'admin session revocations',
    sql: `
      CREATE TABLE admin_session_revocations (
        session_id TEXT PRIMARY KEY NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX admin_session_revocations_expiry ON admin_session_revocations (expires_at);
    `,
  },
  {
    // Issue 12: colour scheme and configuration link templates; NULL reads as the defaults.
    version: 5,
    name: 'tenant pod display settings',
    sql: `ALTER TABLE tenants ADD COLUMN pod_display TEXT;`,
  },
];

/**
 * Applies the migrations the database has not seen, each in its own transaction together
 * with its schema_migrations row, so a failure keeps nothing of that step. Safe to run from
 * two processes at once: each step re-checks under the write lock.
 */
export function migrate(db: DatabaseSync, list: readonly Migration[] = migrations): { applied: number[]; version: number } {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`Migration "${m.name}" is numbered ${m.version}, expected ${i + 1}.`);
  });
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY NOT NULL,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT;
  `);
  const latest = list.length;
  const stored = Number(db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get()?.['v'] ?? 0);
  if (stored > latest) {
    throw new MigrationError(
      `The database is at schema version ${stored}, newer than this server knows (${latest}); run a newer server or restore a backup.`,
    );
  }
  const applied: number[] = [];
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of list) {
    if (m.version <= stored) continue;
    try {
      immediateTransaction(db, () => {
        if (isApplied.get(m.version) !== undefined) return;
        db.exec(m.sql);
        record.run(m.version, m.name, new Date().toISOString());
        applied.push(m.version);
      });
    } catch (error) {
      throw new MigrationError(`Migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return { applied, version: latest };
}
