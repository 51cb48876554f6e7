import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ensureDataDir } from './key-ring.ts';
import { migrate } from './migrations.ts';

export const databaseFileName = 'pod.db';

/**
 * Opens DATA_DIR/pod.db (creating the directory 0700 and the file 0600; SQLite gives its WAL
 * and shared-memory files the database file's mode) and brings its schema up to date.
 *
 * - WAL: readers never block the writer, and a crash mid-transaction leaves the last commit
 *   intact (the half-written transaction is simply not in the log).
 * - synchronous=FULL: with WAL, NORMAL can lose the last commits on power loss or an OS crash
 *   (the log is not fsynced per commit). Writes here are rare admin edits, so an fsync per
 *   commit costs nothing noticeable and a saved tenant stays saved.
 * - A busy timeout, so the server and the rotate-key CLI wait for each other's write lock.
 */
export function openPodDatabase(dataDir: string): DatabaseSync {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, databaseFileName);
  closeSync(openSync(file, 'a', 0o600));
  const db = new DatabaseSync(file, { timeout: 5000 });
  try {
    const mode = db.prepare('PRAGMA journal_mode = WAL').get()?.['journal_mode'];
    if (mode !== 'wal') throw new Error(`SQLite refused WAL mode for ${file} (journal_mode is ${String(mode)})`);
    db.exec('PRAGMA synchronous = FULL');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
