import type { AppConfig } from './config.ts';
import type { Logger } from './logger.ts';
import type { LimitStores } from './http/rate-limits.ts';
import { PostgresRateLimitStore, sweepRateLimits } from './http/postgres-rate-limit-store.ts';
import {
  postgresSessionRevocations,
  sqliteSessionRevocations,
  type SessionRevocations,
} from './admin/session-revocations.ts';
import type { CorruptTenantError } from './tenants/errors/CorruptTenantError.ts';
import { listenForChanges } from './tenants/postgres-changes.ts';
import { migratePostgres } from './tenants/postgres-migrations.ts';
import { asDatabaseError, createPostgresPool, redactDatabaseUrl } from './tenants/postgres-pool.ts';
import { openPostgresTenantStore, tenantChannel } from './tenants/postgres-store.ts';
import { openSqliteTenantStore } from './tenants/sqlite-store.ts';
import type { TenantStore } from './tenants/tenant.ts';

/**
 * Everything the server persists, in one database: the SQLite file in DATA_DIR (one process,
 * the default) or PostgreSQL at DATABASE_URL (several instances acting as one service).
 */
export type PodStorage = {
  kind: 'sqlite' | 'postgres';
  /** Uncached; on PostgreSQL it reports other instances' writes through onChange. */
  tenants: TenantStore;
  revocations: SessionRevocations;
  /** Shared limit counters (PostgreSQL only; SQLite's single process keeps them in memory). */
  limitStores?: LimitStores;
  close(): Promise<void>;
};

type Sources = Pick<AppConfig, 'dataDir' | 'databaseUrl' | 'secretKey' | 'previousSecretKeys'>;

export async function openStorage(config: Sources, options: { logger?: Logger | undefined; poolSize?: number } = {}): Promise<PodStorage> {
  const { logger } = options;
  const onCorruptRow = (e: CorruptTenantError) => logger?.warn({ companyId: e.companyId, problems: e.problems }, 'unreadable tenant skipped');

  if (config.databaseUrl === undefined) {
    const tenants = await openSqliteTenantStore({
      dataDir: config.dataDir,
      ...(config.secretKey !== undefined ? { secretKey: config.secretKey } : {}),
      previousSecretKeys: config.previousSecretKeys,
      onCorruptRow,
    });
    const revocations = sqliteSessionRevocations(config.dataDir);
    return {
      kind: 'sqlite',
      tenants,
      revocations,
      async close() {
        revocations.close?.();
        await tenants.close();
      },
    };
  }

  if (config.secretKey === undefined) throw new Error('SECRET_KEY is required with DATABASE_URL.');
  const url = config.databaseUrl;
  const pool = createPostgresPool({ url, logger, ...(options.poolSize !== undefined ? { max: options.poolSize } : {}) });
  let feed: Awaited<ReturnType<typeof listenForChanges>> | undefined;
  try {
    try {
      const migrated = await migratePostgres(pool);
      if (migrated.applied.length > 0) logger?.info({ applied: migrated.applied, version: migrated.version }, 'database schema migrated');
    } catch (error) {
      throw asDatabaseError(error);
    }
    const store = await openPostgresTenantStore({
      pool,
      secretKey: config.secretKey,
      previousSecretKeys: config.previousSecretKeys,
      onCorruptRow,
    });
    feed = await listenForChanges({ url, channel: tenantChannel, logger });
    const changes = feed;
    // Expired counter rows are reused by their key, so sweeping only bounds the table's size.
    const sweeper = setInterval(() => {
      sweepRateLimits(pool).catch((err: unknown) => logger?.debug({ err: (err as Error).message }, 'rate-limit sweep skipped'));
    }, 60_000);
    sweeper.unref();
    logger?.info({ database: redactDatabaseUrl(url) }, 'using PostgreSQL');
    return {
      kind: 'postgres',
      tenants: { ...store, onChange: (listener) => changes.subscribe(listener) },
      revocations: postgresSessionRevocations(pool),
      limitStores: (name) => new PostgresRateLimitStore(pool, name),
      async close() {
        clearInterval(sweeper);
        await changes.close();
        await store.close();
        await pool.end();
      },
    };
  } catch (error) {
    await feed?.close();
    await pool.end().catch(() => {});
    throw error;
  }
}
