import { once } from 'node:events';
import express from 'express';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminSessions } from '../../../server/admin/admin-session.ts';
import { postgresSessionRevocations, sqliteSessionRevocations } from '../../../server/admin/session-revocations.ts';
import { PostgresRateLimitStore, sweepRateLimits } from '../../../server/http/postgres-rate-limit-store.ts';
import { limiter } from '../../../server/http/rate-limits.ts';
import { withTenantCache } from '../../../server/tenants/cached-store.ts';
import { listenForChanges } from '../../../server/tenants/postgres-changes.ts';
import { migratePostgres } from '../../../server/tenants/postgres-migrations.ts';
import { createPostgresPool } from '../../../server/tenants/postgres-pool.ts';
import { openPostgresTenantStore, tenantChannel } from '../../../server/tenants/postgres-store.ts';
import { generateSecretKey } from '../../../server/tenants/secret-key.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { tempDir, tenantWrite } from './fixtures.ts';

/** What several instances share through PostgreSQL: tenant changes, limit counters, sign-outs. */

let db: TestDatabase;
let poolA: pg.Pool;
let poolB: pg.Pool;
const key = generateSecretKey();

beforeAll(async () => {
  db = await createTestDatabase();
  poolA = createPostgresPool({ url: db.url, max: 3 });
  poolB = createPostgresPool({ url: db.url, max: 3 });
  await migratePostgres(poolA);
});
afterAll(async () => {
  await poolA.end();
  await poolB.end();
  await db.drop();
});

describe('tenant changes between instances', () => {
  it('a write through one instance clears the other instance’s cached tenant at once (long before the TTL)', async () => {
    const feed = await listenForChanges({ url: db.url, channel: tenantChannel });
    try {
      const a = withTenantCache(await openPostgresTenantStore({ pool: poolA, secretKey: key }), { ttlMs: 600_000 });
      const storeB = await openPostgresTenantStore({ pool: poolB, secretKey: key });
      const b = withTenantCache({ ...storeB, onChange: (l) => feed.subscribe(l) }, { ttlMs: 600_000 });
      await a.upsert(tenantWrite('acme', { apiMemberId: 'first' }));
      expect(await b.get('acme')).toMatchObject({ apiMemberId: 'first' });
      await a.upsert(tenantWrite('acme', { apiMemberId: 'second' }));
      await expect.poll(async () => (await b.get('acme'))?.apiMemberId).toBe('second');
      await a.delete('acme');
      await expect.poll(() => b.get('acme')).toBeNull();
    } finally {
      await feed.close();
    }
  });

  it('after losing its connection the feed reconnects and says "anything may have changed"', async () => {
    const feed = await listenForChanges({ url: db.url, channel: tenantChannel, retryMs: 50 });
    const seen: (string | null)[] = [];
    feed.subscribe((k) => seen.push(k));
    try {
      await db.admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'connectwise-pod listen'",
        [db.name],
      );
      await expect.poll(() => seen).toContain(null);
      await expect.poll(() => feed.connected()).toBe(true);
      await poolA.query('SELECT pg_notify($1, $2)', [tenantChannel, 'globex']);
      await expect.poll(() => seen).toContain('globex');
    } finally {
      await feed.close();
    }
  });
});

describe('rate-limit counters shared between instances', () => {
  async function serve(pool: pg.Pool) {
    const app = express();
    app.get('/', limiter({ windowMs: 60_000, limit: 5, key: () => 'k', store: new PostgresRateLimitStore(pool, 'shared-test'), message: 'slow down' }), (_req, res) => {
      res.send('ok');
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
  }

  it('count hits from both instances against one limit, exactly, under concurrency', async () => {
    const a = await serve(poolA);
    const b = await serve(poolB);
    try {
      const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => fetch(i % 2 === 0 ? a.url : b.url).then((r) => r.status)));
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    } finally {
      a.close();
      b.close();
    }
  });

  it('start a new window once the old one is over, and sweep expired rows', async () => {
    const store = new PostgresRateLimitStore(poolA, 'window-test');
    store.init({ windowMs: 60_000 } as never);
    expect((await store.increment('x')).totalHits).toBe(1);
    expect((await store.increment('x')).totalHits).toBe(2);
    await store.decrement('x');
    expect((await store.get('x'))?.totalHits).toBe(1);
    // The window ends (moved into the past rather than waited for).
    await poolA.query("UPDATE rate_limit_hits SET reset_at = now() - interval '1 second' WHERE key = 'window-test:x'");
    expect(await store.get('x')).toBeUndefined();
    expect((await store.increment('x')).totalHits).toBe(1);
    await poolA.query("UPDATE rate_limit_hits SET reset_at = now() - interval '1 second' WHERE key = 'window-test:x'");
    expect(await sweepRateLimits(poolA)).toBeGreaterThanOrEqual(1);
    const { rowCount } = await poolA.query("SELECT 1 FROM rate_limit_hits WHERE key = 'window-test:x'");
    expect(rowCount).toBe(0);
  });
});

describe('console sign-outs', () => {
  const adminToken = 'shared-state-admin-token-0123456789';

  it('on PostgreSQL hold on every instance', async () => {
    const a = createAdminSessions({ adminToken, secure: true, revocations: postgresSessionRevocations(poolA) });
    const b = createAdminSessions({ adminToken, secure: true, revocations: postgresSessionRevocations(poolB) });
    const { cookieValue } = a.issue();
    expect(await b.verify(cookieValue)).not.toBeNull();
    await b.revoke(cookieValue);
    expect(await a.verify(cookieValue)).toBeNull();
  });

  it('on SQLite survive a restart', async () => {
    const dataDir = await tempDir();
    const first = sqliteSessionRevocations(dataDir);
    const before = createAdminSessions({ adminToken, secure: true, revocations: first });
    const { cookieValue } = before.issue();
    const other = before.issue();
    await before.revoke(cookieValue);
    first.close?.();
    const second = sqliteSessionRevocations(dataDir);
    const after = createAdminSessions({ adminToken, secure: true, revocations: second });
    expect(await after.verify(cookieValue)).toBeNull();
    expect(await after.verify(other.cookieValue)).not.toBeNull();
    second.close?.();
  });
});
