import type pg from 'pg';
import { ConnectionTestResult } from '../../shared/admin-api.ts';
import { CorruptTenantError } from './errors/CorruptTenantError.ts';
import { environmentKeyRing, type KeyRing } from './key-ring.ts';
import { asDatabaseError, inTransaction } from './postgres-pool.ts';
import { openSecret } from './secret-box.ts';
import { Tenant, TenantWrite, type ParsedTenantWrite, type TenantStore } from './tenant.ts';
import {
  assertKeyIdsAvailable,
  checkVersion,
  keyIdsInUse,
  readableLastTest,
  readTenantRow,
  updatedTenant,
  writeColumns,
  type Row,
} from './tenant-row.ts';

/** The channel every instance LISTENs on; the payload is the changed tenant's company key. */
export const tenantChannel = 'pod_tenants_changed';

export type PostgresTenantStoreOptions = {
  /** Owned by the caller (it is shared with the other stores); close() does not end it. */
  pool: pg.Pool;
  secretKey: string;
  previousSecretKeys?: readonly string[] | undefined;
  onCorruptRow?: (error: CorruptTenantError) => void;
};

const columns =
  'company_key, company_id, site_input, site, public_key, private_key, client_id, api_member_id, nilear_origin, board_ids, section_access, extra_origins, pod_display, created_at, updated_at, version, last_test';

/**
 * The tenant store on PostgreSQL, for several instances sharing one database. Every write
 * sends a NOTIFY in its own transaction (delivered on commit) so the other instances drop
 * their cached copy at once (./postgres-changes.ts). Keys come from SECRET_KEY (required).
 */
export async function openPostgresTenantStore(options: PostgresTenantStoreOptions): Promise<TenantStore> {
  const { pool } = options;
  const onCorruptRow =
    options.onCorruptRow ?? ((error: CorruptTenantError) => process.emitWarning(error.message, { code: 'CORRUPT_TENANT' }));
  const ring: KeyRing = environmentKeyRing({ secretKey: options.secretKey, previousSecretKeys: options.previousSecretKeys });
  const query = async <R extends pg.QueryResultRow = Row>(text: string, values?: unknown[]) => {
    try {
      return await pool.query<R>(text, values);
    } catch (error) {
      throw asDatabaseError(error);
    }
  };
  const { rows: secrets } = await query('SELECT public_key, private_key FROM tenants');
  assertKeyIdsAvailable(
    keyIdsInUse(secrets),
    ring,
    'Every instance must run with the same SECRET_KEY; during a rotation, set PREVIOUS_SECRET_KEY to the old key and run the rotate-key command.',
  );

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new Error('The tenant store is closed.');
  };
  const readTenant = (row: Row): Tenant => readTenantRow(row, (sealed, aad) => openSecret(ring, sealed, aad));
  const notify = (client: pg.PoolClient, key: string) => client.query('SELECT pg_notify($1, $2)', [tenantChannel, key]);

  async function upsertOnce(write: ParsedTenantWrite, key: string, expectedVersion: number | undefined) {
    return inTransaction(pool, async (client) => {
      const { rows } = await client.query<Row>(
        'SELECT company_id, created_at, version, last_test FROM tenants WHERE company_key = $1 FOR UPDATE',
        [key],
      );
      const existing = rows[0];
      const actual = existing === undefined ? null : Number(existing['version']);
      checkVersion(existing === undefined ? write.companyId : String(existing['company_id']), expectedVersion, actual);
      const now = new Date().toISOString();
      const c = writeColumns(ring, write, key);
      const values = [c.site_input, c.site, c.public_key, c.private_key, c.client_id, c.api_member_id, c.nilear_origin, c.board_ids, c.section_access, c.extra_origins, c.pod_display];
      if (existing === undefined) {
        const inserted = await client.query(
          `INSERT INTO tenants (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, 1, NULL)
           ON CONFLICT (company_key) DO NOTHING`,
          [key, write.companyId, ...values, now],
        );
        // Another instance created it between our SELECT and INSERT: read it again.
        if (inserted.rowCount === 0) return null;
        await notify(client, key);
        return { tenant: { ...write, createdAt: now, updatedAt: now, version: 1, lastTest: null }, created: true };
      }
      const lastTest = readableLastTest(existing);
      const version = (actual ?? 0) + 1;
      await client.query(
        `UPDATE tenants SET site_input = $1, site = $2, public_key = $3, private_key = $4, client_id = $5,
           api_member_id = $6, nilear_origin = $7, board_ids = $8, section_access = $9, extra_origins = $10, pod_display = $11, updated_at = $12, version = $13,
           last_test = $14
         WHERE company_key = $15`,
        [...values, now, version, lastTest === null ? null : JSON.stringify(lastTest), key],
      );
      await notify(client, key);
      return { tenant: updatedTenant(existing, write, now, version, lastTest), created: false };
    });
  }

  return {
    async get(companyId) {
      assertOpen();
      const { rows } = await query(`SELECT ${columns} FROM tenants WHERE company_key = $1`, [companyId.toLowerCase()]);
      return rows[0] === undefined ? null : readTenant(rows[0]);
    },

    async list() {
      assertOpen();
      const { rows } = await query(`SELECT ${columns} FROM tenants ORDER BY company_key`);
      const tenants: Tenant[] = [];
      for (const row of rows) {
        try {
          tenants.push(readTenant(row));
        } catch (error) {
          if (!(error instanceof CorruptTenantError)) throw error;
          onCorruptRow(error);
        }
      }
      return tenants;
    },

    async upsert(input, opts = {}) {
      assertOpen();
      const write = TenantWrite.parse(input);
      const key = write.companyId.toLowerCase();
      for (;;) {
        const result = await upsertOnce(write, key, opts.expectedVersion);
        if (result !== null) return result;
      }
    },

    async delete(companyId, opts = {}) {
      assertOpen();
      const key = companyId.toLowerCase();
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<Row>('SELECT company_id, version FROM tenants WHERE company_key = $1 FOR UPDATE', [key]);
        const existing = rows[0];
        // Already gone is what the caller wanted, whatever version they last saw.
        if (existing === undefined) return false;
        checkVersion(String(existing['company_id']), opts.expectedVersion, Number(existing['version']));
        await client.query('DELETE FROM tenants WHERE company_key = $1', [key]);
        await notify(client, key);
        return true;
      });
    },

    async saveTestResult(companyId, result) {
      assertOpen();
      // Not a version bump: running a test must not make an admin's open form stale.
      const value = JSON.stringify(ConnectionTestResult.parse(result));
      await query(
        `WITH changed AS (UPDATE tenants SET last_test = $1 WHERE company_key = $2 RETURNING company_key)
         SELECT pg_notify($3, company_key) FROM changed`,
        [value, companyId.toLowerCase(), tenantChannel],
      );
    },

    async ping() {
      if (closed) return false;
      try {
        const { rows } = await pool.query<{ ok: number }>({ text: 'SELECT 1 AS ok', query_timeout: 2_000 } as pg.QueryConfig);
        return rows[0]?.ok === 1;
      } catch {
        return false;
      }
    },

    close() {
      closed = true;
    },
  };
}
