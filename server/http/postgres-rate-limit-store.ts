import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type pg from 'pg';
import { asDatabaseError } from '../tenants/postgres-pool.ts';

/**
 * An express-rate-limit store in the shared PostgreSQL database, so a limit counts every
 * instance's requests (N instances must not mean N times the attempts). One row per key and
 * window; an increment is one atomic upsert that starts a new window once the old one is
 * over, so concurrent instances never lose a hit. The table is UNLOGGED: counters are not
 * worth a WAL write, and a database crash only resets them.
 *
 * Why not @acpr/rate-limit-postgresql: it pins an old pg and runs its own migration tool and
 * schema, outside the one versioned, advisory-locked migration list (postgres-migrations.ts).
 */
export class PostgresRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool, prefix: string) {
    this.pool = pool;
    this.prefix = `${prefix}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private async run<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw asDatabaseError(error);
    }
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { rows } = await this.run<{ hits: number; reset_at: Date }>(
      'SELECT hits, reset_at FROM rate_limit_hits WHERE key = $1 AND reset_at > now()',
      [this.prefix + key],
    );
    const row = rows[0];
    return row === undefined ? undefined : { totalHits: row.hits, resetTime: row.reset_at };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const { rows } = await this.run<{ hits: number; reset_at: Date }>(
      `INSERT INTO rate_limit_hits AS r (key, hits, reset_at)
       VALUES ($1, 1, now() + make_interval(secs => $2::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.reset_at <= now() THEN 1 ELSE r.hits + 1 END,
         reset_at = CASE WHEN r.reset_at <= now() THEN excluded.reset_at ELSE r.reset_at END
       RETURNING hits, reset_at`,
      [this.prefix + key, this.windowMs],
    );
    const row = rows[0]!;
    return { totalHits: row.hits, resetTime: row.reset_at };
  }

  async decrement(key: string): Promise<void> {
    await this.run('UPDATE rate_limit_hits SET hits = greatest(hits - 1, 0) WHERE key = $1 AND reset_at > now()', [
      this.prefix + key,
    ]);
  }

  async resetKey(key: string): Promise<void> {
    await this.run('DELETE FROM rate_limit_hits WHERE key = $1', [this.prefix + key]);
  }

  async resetAll(): Promise<void> {
    await this.run("DELETE FROM rate_limit_hits WHERE starts_with(key, $1)", [this.prefix]);
  }
}

/** Deletes windows that are over; rows of active keys are reused, so this only bounds the table. */
export async function sweepRateLimits(pool: pg.Pool): Promise<number> {
  const { rowCount } = await pool.query('DELETE FROM rate_limit_hits WHERE reset_at <= now()');
  return rowCount ?? 0;
}
