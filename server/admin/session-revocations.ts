import type { DatabaseSync } from 'node:sqlite';
import type pg from 'pg';
import { openPodDatabase } from '../tenants/database.ts';
import { asDatabaseError } from '../tenants/postgres-pool.ts';

/**
 * Console sessions signed out before they expire. The cookie itself is stateless (any
 * instance with the same ADMIN_TOKEN accepts it), so a sign-out must be remembered where
 * every instance, and the next start, looks: the database. Rows lapse with the cookie.
 */
export type SessionRevocations = {
  /** `expiresAt`: the cookie's own expiry (seconds since the epoch); the row is useless after it. */
  revoke(sessionId: string, expiresAt: number): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
  close?(): void;
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** In memory: for tests and routers built without a database. */
export function memorySessionRevocations(): SessionRevocations {
  const revoked = new Map<string, number>();
  return {
    async revoke(sessionId, expiresAt) {
      const t = nowSeconds();
      for (const [sid, exp] of revoked) if (exp <= t) revoked.delete(sid);
      revoked.set(sessionId, expiresAt);
    },
    async isRevoked(sessionId) {
      const exp = revoked.get(sessionId);
      return exp !== undefined && exp > nowSeconds();
    },
  };
}

/** In DATA_DIR/pod.db, on a connection of its own. */
export function sqliteSessionRevocations(dataDir: string): SessionRevocations {
  const db: DatabaseSync = openPodDatabase(dataDir);
  const prune = db.prepare('DELETE FROM admin_session_revocations WHERE expires_at <= ?');
  const insert = db.prepare('INSERT OR REPLACE INTO admin_session_revocations (session_id, expires_at) VALUES (?, ?)');
  const select = db.prepare('SELECT 1 AS hit FROM admin_session_revocations WHERE session_id = ? AND expires_at > ?');
  return {
    async revoke(sessionId, expiresAt) {
      prune.run(nowSeconds());
      insert.run(sessionId, expiresAt);
    },
    async isRevoked(sessionId) {
      return select.get(sessionId, nowSeconds()) !== undefined;
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}

/** In the shared PostgreSQL database: a sign-out on one instance holds on all. */
export function postgresSessionRevocations(pool: pg.Pool): SessionRevocations {
  const run = async (text: string, values: unknown[]) => {
    try {
      return await pool.query(text, values);
    } catch (error) {
      throw asDatabaseError(error);
    }
  };
  return {
    async revoke(sessionId, expiresAt) {
      await run('DELETE FROM admin_session_revocations WHERE expires_at <= $1', [nowSeconds()]);
      await run(
        `INSERT INTO admin_session_revocations (session_id, expires_at) VALUES ($1, $2)
         ON CONFLICT (session_id) DO UPDATE SET expires_at = excluded.expires_at`,
        [sessionId, expiresAt],
      );
    },
    async isRevoked(sessionId) {
      const { rowCount } = await run('SELECT 1 FROM admin_session_revocations WHERE session_id = $1 AND expires_at > $2', [
        sessionId,
        nowSeconds(),
      ]);
      return (rowCount ?? 0) > 0;
    },
  };
}
