import type { DatabaseSync } from 'node:sqlite';
import { ConnectionTestResult } from '../../shared/admin-api.ts';
import { openPodDatabase } from './database.ts';
import { CorruptTenantError } from './errors/CorruptTenantError.ts';
import { SecretDecryptionError } from './errors/SecretDecryptionError.ts';
import { keyFileSignature, loadKeyRing, type KeyRing, type KeySources } from './key-ring.ts';
import { openSecret } from './secret-box.ts';
import { Tenant, TenantWrite, type TenantStore } from './tenant.ts';
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
import { immediateTransaction } from './transaction.ts';

export type SqliteTenantStoreOptions = KeySources & {
  /**
   * Told about each row list() leaves out because it cannot be read (the message names the
   * tenant and the problem, never a secret). Default: a process warning.
   */
  onCorruptRow?: (error: CorruptTenantError) => void;
};

/** How many stored secrets use each key id (sealed values that do not parse are skipped). */
export function secretKeyIdsInUse(db: DatabaseSync): Map<string, number> {
  return keyIdsInUse(db.prepare('SELECT public_key, private_key FROM tenants').all());
}

/** Fails start-up when stored secrets use a key this process lacks: a wrong SECRET_KEY is found at once, not tenant by tenant. */
export function assertKeysAvailable(db: DatabaseSync, ring: KeyRing): void {
  assertKeyIdsAvailable(secretKeyIdsInUse(db), ring);
}

/**
 * Opens the SQLite tenant store at DATA_DIR/pod.db: creates the directory, migrates the
 * schema, loads (or on first start creates) the key ring, and checks that every stored secret
 * can be opened with it.
 */
export async function openSqliteTenantStore(options: SqliteTenantStoreOptions): Promise<TenantStore> {
  const { dataDir } = options;
  const sources: KeySources = {
    dataDir,
    secretKey: options.secretKey,
    previousSecretKeys: options.previousSecretKeys,
  };
  const onCorruptRow =
    options.onCorruptRow ?? ((error: CorruptTenantError) => process.emitWarning(error.message, { code: 'CORRUPT_TENANT' }));

  const db = openPodDatabase(dataDir);
  let ring: KeyRing;
  // Taken before loading, so a key file replaced in between is noticed on the next check.
  let ringSignature = keyFileSignature(dataDir);
  try {
    const hasSecrets = db.prepare('SELECT count(*) AS n FROM tenants').get()?.['n'] !== 0;
    ring = loadKeyRing({ ...sources, createKeyFile: !hasSecrets });
    assertKeysAvailable(db, ring);
  } catch (error) {
    db.close();
    throw error;
  }

  /** The rotate-key CLI may replace the key file while we run; pick up its keys. */
  function refreshRing(): boolean {
    const signature = keyFileSignature(dataDir);
    if (signature === ringSignature) return false;
    ringSignature = signature;
    ring = loadKeyRing({ ...sources, createKeyFile: false });
    return true;
  }

  function open(value: string, aad: string): string {
    try {
      return openSecret(ring, value, aad);
    } catch (error) {
      if (error instanceof SecretDecryptionError && error.reason === 'unknown_key' && refreshRing()) {
        return openSecret(ring, value, aad);
      }
      throw error;
    }
  }

  const readTenant = (row: Row): Tenant => readTenantRow(row, open);

  const selectOne = db.prepare('SELECT * FROM tenants WHERE company_key = ?');
  const selectAll = db.prepare('SELECT * FROM tenants ORDER BY company_key');
  const selectMeta = db.prepare('SELECT company_id, created_at, version, last_test FROM tenants WHERE company_key = ?');
  const insert = db.prepare(`
    INSERT INTO tenants (company_key, company_id, site_input, site, public_key, private_key, client_id,
      api_member_id, nilear_origin, board_ids, section_access, extra_origins, pod_display, created_at, updated_at, version, last_test)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)`);
  const update = db.prepare(`
    UPDATE tenants SET site_input = ?, site = ?, public_key = ?, private_key = ?, client_id = ?,
      api_member_id = ?, nilear_origin = ?, board_ids = ?, section_access = ?, extra_origins = ?, pod_display = ?, updated_at = ?, version = ?, last_test = ?
    WHERE company_key = ?`);
  const remove = db.prepare('DELETE FROM tenants WHERE company_key = ?');
  const setLastTest = db.prepare('UPDATE tenants SET last_test = ? WHERE company_key = ?');

  function assertOpen(): void {
    if (!db.isOpen) throw new Error('The tenant store is closed.');
  }

  return {
    async get(companyId) {
      assertOpen();
      const row = selectOne.get(companyId.toLowerCase());
      return row === undefined ? null : readTenant(row);
    },

    async list() {
      assertOpen();
      const tenants: Tenant[] = [];
      for (const row of selectAll.all()) {
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
      return immediateTransaction(db, () => {
        // Inside the write lock: a rotation that committed before us has already replaced the
        // key file, so we never seal under a key it is about to retire.
        refreshRing();
        const existing = selectMeta.get(key);
        const actual = existing === undefined ? null : Number(existing['version']);
        checkVersion(existing === undefined ? write.companyId : String(existing['company_id']), opts.expectedVersion, actual);
        const now = new Date().toISOString();
        const c = writeColumns(ring, write, key);
        const columns = [c.site_input, c.site, c.public_key, c.private_key, c.client_id, c.api_member_id, c.nilear_origin, c.board_ids, c.section_access, c.extra_origins, c.pod_display] as const;
        if (existing === undefined) {
          insert.run(key, write.companyId, ...columns, now, now);
          return { tenant: { ...write, createdAt: now, updatedAt: now, version: 1, lastTest: null }, created: true };
        }
        // An unreadable old test result is dropped rather than kept: saving heals the row.
        const lastTest = readableLastTest(existing);
        const version = (actual ?? 0) + 1;
        update.run(...columns, now, version, lastTest === null ? null : JSON.stringify(lastTest), key);
        const tenant = updatedTenant(existing, write, now, version, lastTest);
        return { tenant, created: false };
      });
    },

    async delete(companyId, opts = {}) {
      assertOpen();
      const key = companyId.toLowerCase();
      return immediateTransaction(db, () => {
        const existing = selectMeta.get(key);
        // Already gone is what the caller wanted, whatever version they last saw.
        if (existing === undefined) return false;
        checkVersion(String(existing['company_id']), opts.expectedVersion, Number(existing['version']));
        remove.run(key);
        return true;
      });
    },

    async saveTestResult(companyId, result) {
      assertOpen();
      // Not a version bump: running a test must not make an admin's open form stale.
      setLastTest.run(JSON.stringify(ConnectionTestResult.parse(result)), companyId.toLowerCase());
    },

    ping() {
      if (!db.isOpen) return false;
      try {
        return db.prepare('SELECT 1 AS ok').get()?.['ok'] === 1;
      } catch {
        return false;
      }
    },

    close() {
      if (db.isOpen) db.close();
    },
  };
}
