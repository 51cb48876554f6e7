import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFileName, openPodDatabase } from '../../../server/tenants/database.ts';
import { migrations } from '../../../server/tenants/migrations.ts';
import { tempDir } from './fixtures.ts';

describe('openPodDatabase', () => {
  it('creates DATA_DIR (0700) and pod.db (0600) in it', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    openPodDatabase(dataDir).close();
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dataDir, databaseFileName))).mode & 0o777).toBe(0o600);
  });

  it('leaves the mode of an existing DATA_DIR alone', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    await mkdir(dataDir, { mode: 0o750 });
    openPodDatabase(dataDir).close();
    expect((await stat(dataDir)).mode & 0o777).toBe(0o750);
  });

  it('uses WAL with synchronous=FULL and a busy timeout', async () => {
    const db = openPodDatabase(await tempDir());
    expect(db.prepare('PRAGMA journal_mode').get()?.['journal_mode']).toBe('wal');
    // 2 = FULL
    expect(db.prepare('PRAGMA synchronous').get()?.['synchronous']).toBe(2);
    expect(db.prepare('PRAGMA busy_timeout').get()?.['timeout']).toBeGreaterThan(0);
    db.close();
  });

  it('gives the WAL file the database file’s owner-only mode', async () => {
    const dataDir = await tempDir();
    const db = openPodDatabase(dataDir);
    db.exec("INSERT INTO schema_migrations VALUES (99, 'probe', 'x'); DELETE FROM schema_migrations WHERE version = 99");
    expect((await stat(path.join(dataDir, `${databaseFileName}-wal`))).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('migrates on open, and re-opening changes nothing', async () => {
    const dataDir = await tempDir();
    const first = openPodDatabase(dataDir);
    const rows = first.prepare('SELECT * FROM schema_migrations').all();
    first.close();
    const second = openPodDatabase(dataDir);
    expect(second.prepare('SELECT * FROM schema_migrations').all()).toEqual(rows);
    expect(rows.map((r) => r['version'])).toEqual(migrations.map((m) => m.version));
    second.close();
  });
});
