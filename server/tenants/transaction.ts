import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `fn` in a write transaction. IMMEDIATE takes the write lock up front, so a reader that
 * would later write cannot deadlock against another process (the rotate-key CLI) in WAL mode;
 * the connection's busy timeout makes the other side wait instead of failing.
 */
export function immediateTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
