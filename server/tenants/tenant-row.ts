import { ConnectionTestResult } from '../../shared/admin-api.ts';
import { CorruptTenantError } from './errors/CorruptTenantError.ts';
import { SecretDecryptionError } from './errors/SecretDecryptionError.ts';
import { SecretKeyError } from './errors/SecretKeyError.ts';
import { VersionConflictError } from './errors/VersionConflictError.ts';
import type { KeyRing } from './key-ring.ts';
import { sealedKeyId, sealSecret, secretAad, type SecretField } from './secret-box.ts';
import { Tenant, type ParsedTenantWrite, type TenantWrite } from './tenant.ts';

/**
 * The `tenants` row as both stores keep it (same column names and text encodings in SQLite
 * and PostgreSQL), and its translation to and from a Tenant. One codec, so a tenant reads
 * back the same whichever database holds it.
 */
export type Row = Record<string, unknown>;

export const secretFields: readonly { field: SecretField; column: 'public_key' | 'private_key' }[] = [
  { field: 'publicKey', column: 'public_key' },
  { field: 'privateKey', column: 'private_key' },
];

export function text(row: Row, column: string): string | null {
  const value = row[column];
  return typeof value === 'string' ? value : null;
}

/** How many stored secrets use each key id (sealed values that do not parse are skipped). */
export function keyIdsInUse(rows: Iterable<Row>): Map<string, number> {
  const used = new Map<string, number>();
  for (const row of rows) {
    for (const { column } of secretFields) {
      const value = row[column];
      const kid = typeof value === 'string' ? sealedKeyId(value) : null;
      if (kid !== null) used.set(kid, (used.get(kid) ?? 0) + 1);
    }
  }
  return used;
}

/** Fails start-up when stored secrets use a key this process lacks: a wrong SECRET_KEY is found at once, not tenant by tenant. */
export function assertKeyIdsAvailable(used: ReadonlyMap<string, number>, ring: KeyRing, howToFix?: string): void {
  const missing = [...used].filter(([kid]) => !ring.keys.has(kid));
  if (missing.length === 0) return;
  const count = missing.reduce((n, [, c]) => n + c, 0);
  throw new SecretKeyError(
    `${count} stored secret(s) were encrypted under key id(s) ${missing.map(([kid]) => kid).join(', ')}, ` +
      `which this server does not have (its keys: ${[...ring.keys.keys()].join(', ')}; current ${ring.current.id}). ` +
      (howToFix ??
        'Set SECRET_KEY to the key in use, or keep the new SECRET_KEY, pass the old key as PREVIOUS_SECRET_KEY and run the rotate-key command.'),
  );
}

export function checkVersion(companyId: string, expected: number | undefined, actual: number | null): void {
  if (expected === undefined) return;
  if (expected === 0 ? actual !== null : actual !== expected) {
    throw new VersionConflictError(companyId, expected, actual);
  }
}

/** Turns a row back into a Tenant; `open` decrypts a sealed secret. Throws CorruptTenantError naming what is wrong. */
export function readTenantRow(row: Row, open: (sealed: string, aad: string) => string): Tenant {
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
    // Issue 10 (migration 2 in both stores).
    sectionAccess: text(row, 'section_access') ?? 'technician',
    // Issue 11 (SQLite migration 3, PostgreSQL migration 5).
    extraOrigins: json('extra_origins', 'extraOrigins') ?? [],
    // Issue 12 (SQLite migration 5, PostgreSQL migration 6): NULL reads as the defaults.
    podDisplay: text(row, 'pod_display') === null ? undefined : json('pod_display', 'podDisplay'),
    createdAt: text(row, 'created_at'),
    updatedAt: text(row, 'updated_at'),
    version: typeof row['version'] === 'bigint' ? Number(row['version']) : row['version'],
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

/** The stored form of a write's settings columns, secrets sealed under the ring's current key. */
export function writeColumns(ring: KeyRing, write: TenantWrite, companyKey: string) {
  return {
    site_input: write.siteInput,
    site: JSON.stringify(write.site),
    public_key: sealSecret(ring, write.publicKey, secretAad(companyKey, 'publicKey')),
    private_key: sealSecret(ring, write.privateKey, secretAad(companyKey, 'privateKey')),
    client_id: write.clientId,
    api_member_id: write.apiMemberId,
    nilear_origin: write.nilearOrigin,
    board_ids: JSON.stringify(write.boardIds),
    section_access: write.sectionAccess ?? 'technician',
    extra_origins: JSON.stringify(write.extraOrigins ?? []),
    pod_display: write.podDisplay === undefined ? null : JSON.stringify(write.podDisplay),
  };
}

/** The stored last test result, or null when there is none or it cannot be read (saving heals the row). */
export function readableLastTest(row: Row): ConnectionTestResult | null {
  try {
    const stored = text(row, 'last_test');
    const result = stored === null ? null : ConnectionTestResult.safeParse(JSON.parse(stored));
    return result?.success === true ? result.data : null;
  } catch {
    return null;
  }
}

/** The tenant an update produces, from the stored row's identity and the write. */
export function updatedTenant(existing: Row, write: ParsedTenantWrite, now: string, version: number, lastTest: ConnectionTestResult | null): Tenant {
  const createdAt = text(existing, 'created_at');
  return {
    ...write,
    companyId: String(existing['company_id']),
    createdAt: createdAt !== null && Tenant.shape.createdAt.safeParse(createdAt).success ? createdAt : now,
    updatedAt: now,
    version,
    lastTest,
  };
}
