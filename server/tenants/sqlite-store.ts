import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { ConnectionTestResult } from '../../shared/admin-api.ts';
import { openPodDatabase } from './database.ts';
import { CorruptTenantError } from './errors/CorruptTenantError.ts';
import { SecretDecryptionError } from './errors/SecretDecryptionError.ts';
import { SecretKeyError } from './errors/SecretKeyError.ts';
import { VersionConflictError } from './errors/VersionConflictError.ts';
import { keyFileSignature, loadKeyRing, type KeyRing, type KeySources } from './key-ring.ts';
import { openSecret, sealedKeyId, sealSecret, secretAad, type SecretField } from './secret-box.ts';
import { Tenant, TenantWrite, type TenantStore } from './tenant.ts';
import { immediateTransaction } from './transaction.ts';

export type SqliteTenantStoreOptions = KeySources & {
  /**
   * Told about each row list() leaves out because it cannot be read (the message names the
   * tenant and the problem, never a secret). Default: a process warning.
   */
  onCorruptRow?: (error: CorruptTenantError) => void;
};

type Row = Record<string, SQLOutputValue>;

const secretFields: readonly { field: SecretField; column: string }[] = [
  { field: 'publicKey', column: 'public_key' },
  { field: 'privateKey', column: 'private_key' },
];

/** How many stored secrets use each key id (sealed values that do not parse are skipped). */
export function secretKeyIdsInUse(db: DatabaseSync): Map<string, number> {
  const used = new Map<string, number>();
  for (const row of db.prepare('SELECT public_key, private_key FROM tenants').all()) {
    for (const { column } of secretFields) {
      const value = row[column];
      const kid = typeof value === 'string' ? sealedKeyId(value) : null;
      if (kid !== null) used.set(kid, (used.get(kid) ?? 0) + 1);
    }
  }
  return used;
}

/** Fails start-up when stored secrets use a key this process lacks: a wrong SECRET_KEY is found at once, not tenant by tenant. */
export function assertKeysAvailable(db: DatabaseSync, ring: KeyRing): void {
  const missing = [...secretKeyIdsInUse(db)].filter(([kid]) => !ring.keys.has(kid));
  if (missing.length === 0) return;
  const count = missing.reduce((n, [, c]) => n + c, 0);
  throw new SecretKeyError(
    `${count} stored secret(s) were encrypted under key id(s) ${missing.map(([kid]) => kid).join(', ')}, ` +
      `which this server does not have (its keys: ${[...ring.keys.keys()].join(', ')}; current ${ring.current.id}). ` +
      'Set SECRET_KEY to the key in use, or keep the new SECRET_KEY, pass the old key as PREVIOUS_SECRET_KEY and run the rotate-key command.',
  );
}

function text(row: Row, column: string): string | null {
  const value = row[column];
  return typeof value === 'string' ? value : null;
}

function checkVersion(companyId: string, expected: number | undefined, actual: number | null): void {
  if (expected === undefined) return;
  if (expected === 0 ? actual !== null : actual !== expected) {
    throw new VersionConflictError(companyId, expected, actual);
  }
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

  function readTenant(row: Row): Tenant {
    const companyKey = text(row, 'company_key') ?? '';
    const companyId = text(row, 'company_id') ?? companyKey;
    const problems: string[] = [];
    const json = (column: string, field: string): unknown => {
      const value = text(row, column);
      if (value === null) return null;
      try {
        return JSON.parse(value);
      } catch {
        problems.push(`${field}: not valid JSON`);
        return undefined;
      }
    };
    const secrets: Partial<Record<SecretField, string>> = {};
    let cause: unknown;
    for (const { field, column } of secretFields) {
      try {
        secrets[field] = open(text(row, column) ?? '', secretAad(companyKey, field));
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        problems.push(`${field}: ${error.message}`);
        cause ??= error;
      }
    }
    const candidate = {
      companyId,
      siteInput: text(row, 'site_input'),
      site: json('site', 'site'),
      publicKey: secrets.publicKey,
      privateKey: secrets.privateKey,
      clientId: text(row, 'client_id'),
      apiMemberId: text(row, 'api_member_id'),
      nilearOrigin: text(row, 'nilear_origin'),
      boardIds: json('board_ids', 'boardIds'),
      sectionAccess: text(row, 'section_access') ?? 'technician',
      podDisplay: text(row, 'pod_display') === null ? undefined : json('pod_display', 'podDisplay'),
      createdAt: text(row, 'created_at'),
      updatedAt: text(row, 'updated_at'),
      version: row['version'],
      lastTest: json('last_test', 'lastTest'),
    };
    const parsed = Tenant.safeParse(candidate);
    if (!parsed.success) {
      const reported = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'row');
        // A secret that did not decrypt is already explained; its "expected string" adds nothing.
        if (reported.has(field)) continue;
        problems.push(`${issue.path.join('.') || 'row'}: ${issue.message}`);
      }
    }
    if (problems.length > 0 || !parsed.success) throw new CorruptTenantError(companyId, problems, { cause });
    return parsed.data;
  }

  const selectOne = db.prepare('SELECT * FROM tenants WHERE company_key = ?');
  const selectAll = db.prepare('SELECT * FROM tenants ORDER BY company_key');
  const selectMeta = db.prepare('SELECT company_id, created_at, version, last_test FROM tenants WHERE company_key = ?');
  const insert = db.prepare(`
    INSERT INTO tenants (company_key, company_id, site_input, site, public_key, private_key, client_id,
      api_member_id, nilear_origin, board_ids, section_access, pod_display, created_at, updated_at, version, last_test)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)`);
  const update = db.prepare(`
    UPDATE tenants SET site_input = ?, site = ?, public_key = ?, private_key = ?, client_id = ?,
      api_member_id = ?, nilear_origin = ?, board_ids = ?, section_access = ?, pod_display = ?, updated_at = ?, version = ?, last_test = ?
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
        const columns = [
          write.siteInput,
          JSON.stringify(write.site),
          sealSecret(ring, write.publicKey, secretAad(key, 'publicKey')),
          sealSecret(ring, write.privateKey, secretAad(key, 'privateKey')),
          write.clientId,
          write.apiMemberId,
          write.nilearOrigin,
          JSON.stringify(write.boardIds),
          write.sectionAccess ?? 'technician',
          write.podDisplay === undefined ? null : JSON.stringify(write.podDisplay),
        ] as const;
        if (existing === undefined) {
          insert.run(key, write.companyId, ...columns, now, now);
          return { tenant: { ...write, createdAt: now, updatedAt: now, version: 1, lastTest: null }, created: true };
        }
        // An unreadable old test result is dropped rather than kept: saving heals the row.
        let lastTest: ConnectionTestResult | null = null;
        try {
          const stored = text(existing, 'last_test');
          const result = stored === null ? null : ConnectionTestResult.safeParse(JSON.parse(stored));
          lastTest = result?.success === true ? result.data : null;
        } catch {
          lastTest = null;
        }
        const version = (actual ?? 0) + 1;
        update.run(...columns, now, version, lastTest === null ? null : JSON.stringify(lastTest), key);
        const createdAt = text(existing, 'created_at');
        const tenant: Tenant = {
          ...write,
          companyId: String(existing['company_id']),
          createdAt: createdAt !== null && Tenant.shape.createdAt.safeParse(createdAt).success ? createdAt : now,
          updatedAt: now,
          version,
          lastTest,
        };
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
