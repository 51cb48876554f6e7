import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MigrationError } from '../../../server/tenants/errors/MigrationError.ts';
import { migrate, migrations, type Migration } from '../../../server/tenants/migrations.ts';
import { tempDir } from './fixtures.ts';

async function freshDb(): Promise<DatabaseSync> {
  return new DatabaseSync(path.join(await tempDir(), 'test.db'));
}

function recorded(db: DatabaseSync): { version: number; name: string; applied_at: string }[] {
  return db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as never;
}

function tables(db: DatabaseSync): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => String(r['name']));
}

/** The next migration after the shipped ones (numbered to follow them). */
const next = migrations.length + 1;
const second: Migration = { version: next, name: 'add notes', sql: 'ALTER TABLE tenants ADD COLUMN notes TEXT' };

describe('migrate', () => {
  it('creates the schema on a fresh database and records every version', async () => {
    const db = await freshDb();
    const result = migrate(db);
    expect(result).toEqual({ applied: migrations.map((m) => m.version), version: migrations.length });
    expect(tables(db)).toEqual(['admin_session_revocations', 'schema_migrations', 'tenants']);
    expect(recorded(db).map((r) => [r.version, r.name])).toEqual(migrations.map((m) => [m.version, m.name]));
    expect(Number.isNaN(Date.parse(recorded(db)[0]!.applied_at))).toBe(false);
    db.close();
  });

  it('applies nothing the second time and keeps the original records', async () => {
    const db = await freshDb();
    migrate(db);
    const before = recorded(db);
    expect(migrate(db).applied).toEqual([]);
    expect(recorded(db)).toEqual(before);
    db.close();
  });

  it('applies only the new migration when one is added', async () => {
    const db = await freshDb();
    migrate(db);
    expect(migrate(db, [...migrations, second]).applied).toEqual([next]);
    const columns = db.prepare('PRAGMA table_info(tenants)').all().map((c) => c['name']);
    expect(columns).toContain('notes');
    expect(migrate(db, [...migrations, second]).applied).toEqual([]);
    db.close();
  });

  it('keeps nothing of a migration that fails half way, and says which one', async () => {
    const db = await freshDb();
    migrate(db);
    const broken: Migration = {
      version: next,
      name: 'half done',
      sql: 'CREATE TABLE extra (id INTEGER); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => migrate(db, [...migrations, broken])).toThrow(MigrationError);
    expect(() => migrate(db, [...migrations, broken])).toThrow(new RegExp(`Migration ${next} \\(half done\\) failed: .*no_such_table`));
    expect(tables(db)).not.toContain('extra');
    expect(recorded(db).map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    db.close();
  });

  it('refuses a database written by a newer server', async () => {
    const db = await freshDb();
    migrate(db, [...migrations, second]);
    expect(() => migrate(db)).toThrow(new RegExp(`schema version ${next}, newer than this server knows \\(${migrations.length}\\)`));
    db.close();
  });

  it('refuses a migration list with a gap', async () => {
    const db = await freshDb();
    expect(() => migrate(db, [{ ...second, version: next + 1 }])).toThrow(new RegExp(`numbered ${next + 1}, expected 1`));
    db.close();
  });
});
