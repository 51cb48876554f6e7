import pg from 'pg';
import type { Logger } from '../logger.ts';
import { DatabaseUnavailableError } from './errors/DatabaseUnavailableError.ts';

/**
 * SQLSTATE classes that mean "the database is not there right now" rather than "this query
 * is wrong": 08 connection exception, 53 insufficient resources, 57P0x operator intervention
 * (shutdown, terminated backend, cannot connect now), 55000 a database not accepting
 * connections. Node socket errors (ECONNREFUSED, ECONNRESET…) and pg's own "Connection
 * terminated" / timeout errors carry no SQLSTATE and count too.
 */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(08|53|57P0)/.test(code) || code === '55000' || code === '3D000') return true;
    if (/^E[A-Z]+$/.test(code)) return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH'].includes(code);
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is not open|Cannot use a pool after calling end/i.test(message);
}

/** A connection failure as DatabaseUnavailableError; anything else unchanged. */
export function asDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError || !isConnectionError(error)) return error;
  const code = (error as { code?: unknown }).code;
  return new DatabaseUnavailableError(
    `The database is unavailable (${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}).`,
    { cause: error },
  );
}

/** The password-free form of a DATABASE_URL, for log lines. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

export type PostgresPoolOptions = {
  url: string;
  /** Connections per instance (default 10): size it so N instances × max stays under max_connections. */
  max?: number;
  logger?: Logger | undefined;
};

/**
 * The instance's connection pool. A connection the server drops while idle makes the pool
 * emit 'error'; unhandled, that would crash the process, so it is logged and the pool opens a
 * new connection on the next query (that is how a lost database recovers by itself).
 */
export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    // A request waits at most this long for a connection before it answers 503.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Kernel keep-alive notices a peer that vanished without closing the socket.
    keepAlive: true,
    application_name: 'connectwise-pod',
  });
  const lost = (error: Error) => {
    options.logger?.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'database connection lost; reconnecting on demand');
  };
  pool.on('error', lost);
  // A connection can also fail while checked out or while the pool is ending it (the server
  // terminating it, say); without a listener of its own that 'error' would crash the process.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

/** Runs `fn` in one transaction on one connection (rolled back if it throws). */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw asDatabaseError(error);
  }
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw asDatabaseError(error);
  } finally {
    // A connection whose rollback failed is not given back to the pool for reuse.
    client.release(broken ? true : undefined);
  }
}
