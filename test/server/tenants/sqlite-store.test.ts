import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CorruptTenantError } from '../../../server/tenants/errors/CorruptTenantError.ts';
import { SecretKeyError } from '../../../server/tenants/errors/SecretKeyError.ts';
import { VersionConflictError } from '../../../server/tenants/errors/VersionConflictError.ts';
import { keyFilePath, readKeyFile } from '../../../server/tenants/key-ring.ts';
import { rotateKey } from '../../../server/tenants/rotate-key.ts';
import { sealedKeyId } from '../../../server/tenants/secret-box.ts';
import { decodeSecretKey, generateSecretKey, secretKeyId } from '../../../server/tenants/secret-key.ts';
import { openSqliteTenantStore, type SqliteTenantStoreOptions } from '../../../server/tenants/sqlite-store.ts';
import type { TenantStore } from '../../../server/tenants/tenant.ts';
import { tempDir, tenantWrite, testResult } from './fixtures.ts';

const open: TenantStore[] = [];
const raws: DatabaseSync[] = [];

async function openStore(options: SqliteTenantStoreOptions): Promise<TenantStore> {
  const store = await openSqliteTenantStore(options);
  open.push(store);
  return store;
}

/** A second connection to the same file, to look at or damage what the store wrote. */
function raw(dataDir: string): DatabaseSync {
  const db = new DatabaseSync(path.join(dataDir, 'pod.db'), { timeout: 5000 });
  raws.push(db);
  return db;
}

afterEach(() => {
  for (const db of raws.splice(0)) db.close();
  for (const store of open.splice(0)) store.close();
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('opening the store', () => {
  it('creates DATA_DIR, pod.db and, without SECRET_KEY, a 0600 key file', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    await openStore({ dataDir });
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await readdir(dataDir)).sort()).toEqual(expect.arrayContaining(['pod.db', 'secret-keys.json']));
    expect((await stat(keyFilePath(dataDir))).mode & 0o777).toBe(0o600);
  });

  it('writes no key file when SECRET_KEY is given', async () => {
    const dataDir = await tempDir();
    await openStore({ dataDir, secretKey: generateSecretKey() });
    expect(readKeyFile(dataDir)).toBeNull();
  });

  it('refuses to start with a SECRET_KEY that is not the one the secrets use, naming key ids only', async () => {
    const dataDir = await tempDir();
    const right = generateSecretKey();
    const wrong = generateSecretKey();
    const store = await openStore({ dataDir, secretKey: right });
    await store.upsert(tenantWrite('acme'));
    store.close();
    const error = await rejection(openSqliteTenantStore({ dataDir, secretKey: wrong }));
    expect(error).toBeInstanceOf(SecretKeyError);
    expect(error.message).toContain(secretKeyId(decodeSecretKey(right)));
    expect(error.message).toContain('PREVIOUS_SECRET_KEY');
    expect(error.message).not.toContain(right);
    expect(error.message).not.toContain(wrong);
  });

  it('refuses to start when secrets exist but the key file is gone, and does not make a new key', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir });
    await store.upsert(tenantWrite('acme'));
    store.close();
    const { rm } = await import('node:fs/promises');
    await rm(keyFilePath(dataDir));
    await expect(openSqliteTenantStore({ dataDir })).rejects.toThrow(/no key to open them/);
    expect(readKeyFile(dataDir)).toBeNull();
  });

  it('reads secrets under PREVIOUS_SECRET_KEY and writes new ones under SECRET_KEY', async () => {
    const dataDir = await tempDir();
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    const first = await openStore({ dataDir, secretKey: oldKey });
    const { tenant } = await first.upsert(tenantWrite('acme'));
    first.close();
    const store = await openStore({ dataDir, secretKey: newKey, previousSecretKeys: [oldKey] });
    expect(await store.get('acme')).toEqual(tenant);
    await store.upsert(tenantWrite('globex'));
    const kids = raw(dataDir)
      .prepare('SELECT company_key, private_key FROM tenants ORDER BY company_key')
      .all()
      .map((r) => [r['company_key'], sealedKeyId(String(r['private_key']))]);
    expect(kids).toEqual([
      ['acme', secretKeyId(decodeSecretKey(oldKey))],
      ['globex', secretKeyId(decodeSecretKey(newKey))],
    ]);
  });
});

describe('upsert and get', () => {
  it('creates a tenant at version 1 and reads it back as saved', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    const write = tenantWrite('acme', { boardIds: [3, 1], clientId: 'c1d2', nilearOrigin: 'https://mtx.example.com' });
    const { tenant, created } = await store.upsert(write);
    expect(created).toBe(true);
    expect(tenant).toEqual({ ...write, createdAt: tenant.createdAt, updatedAt: tenant.createdAt, version: 1, lastTest: null });
    expect(await store.get('acme')).toEqual(tenant);
  });

  it('answers null for a tenant that does not exist', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    expect(await store.get('nobody')).toBeNull();
  });

  it('bumps the version by one on each update, keeping createdAt', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    const first = (await store.upsert(tenantWrite('acme'))).tenant;
    const write = tenantWrite('acme', { boardIds: [9] });
    const second = await store.upsert(write, { expectedVersion: 1 });
    expect(second.created).toBe(false);
    expect(second.tenant).toMatchObject({ ...write, version: 2, createdAt: first.createdAt });
    expect(Date.parse(second.tenant.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
    expect((await store.upsert(write)).tenant.version).toBe(3);
    expect(await store.get('acme')).toMatchObject({ version: 3, boardIds: [9] });
  });

  it('treats ACME and acme as one tenant and keeps the casing first entered', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await store.upsert(tenantWrite('ACME'));
    const again = await store.upsert(tenantWrite('acme', { apiMemberId: 'other' }));
    expect(again.created).toBe(false);
    expect(again.tenant.companyId).toBe('ACME');
    expect(await store.get('acme')).toMatchObject({ companyId: 'ACME', apiMemberId: 'other', version: 2 });
    expect(await store.get('AcMe')).toMatchObject({ companyId: 'ACME' });
    expect((await store.list()).map((t) => t.companyId)).toEqual(['ACME']);
  });

  it('rejects a stale expectedVersion with VersionConflictError and changes nothing', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await store.upsert(tenantWrite('acme'));
    const current = (await store.upsert(tenantWrite('acme'), { expectedVersion: 1 })).tenant;
    const error = await rejection(store.upsert(tenantWrite('acme', { boardIds: [5] }), { expectedVersion: 1 }));
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ companyId: 'acme', expectedVersion: 1, actualVersion: 2 });
    expect(error.message).toMatch(/version 2, not 1/);
    expect(await store.get('acme')).toEqual(current);
  });

  it('conflicts when an expected version is given for a tenant that no longer exists', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    const error = await rejection(store.upsert(tenantWrite('acme'), { expectedVersion: 4 }));
    expect(error).toMatchObject({ name: 'VersionConflictError', actualVersion: null });
    expect(await store.get('acme')).toBeNull();
  });

  it('with expectedVersion 0 only creates, never overwrites', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    expect((await store.upsert(tenantWrite('acme'), { expectedVersion: 0 })).created).toBe(true);
    const error = await rejection(store.upsert(tenantWrite('ACME'), { expectedVersion: 0 }));
    expect(error).toMatchObject({ name: 'VersionConflictError', expectedVersion: 0, actualVersion: 1 });
    expect(error.message).toMatch(/already exists/);
  });

  it('lets exactly one of two concurrent updates from the same version win', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await store.upsert(tenantWrite('acme'));
    const results = await Promise.allSettled([
      store.upsert(tenantWrite('acme', { apiMemberId: 'a' }), { expectedVersion: 1 }),
      store.upsert(tenantWrite('acme', { apiMemberId: 'b' }), { expectedVersion: 1 }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(VersionConflictError)]);
    const winner = (won[0] as PromiseFulfilledResult<{ tenant: { apiMemberId: string | null } }>).value.tenant;
    expect(await store.get('acme')).toMatchObject({ version: 2, apiMemberId: winner.apiMemberId });
  });

  it('lets exactly one of two processes’ updates from the same version win', async () => {
    const dataDir = await tempDir();
    const a = await openStore({ dataDir });
    const b = await openStore({ dataDir });
    await a.upsert(tenantWrite('acme'));
    const read = await b.get('acme');
    await a.upsert(tenantWrite('acme', { apiMemberId: 'a' }), { expectedVersion: read!.version });
    await expect(b.upsert(tenantWrite('acme', { apiMemberId: 'b' }), { expectedVersion: read!.version })).rejects.toThrow(
      VersionConflictError,
    );
    expect(await b.get('acme')).toMatchObject({ version: 2, apiMemberId: 'a' });
  });

  it('rejects a write that is not a valid tenant, storing nothing', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await expect(store.upsert(tenantWrite('not valid!'))).rejects.toThrow(/companyId/);
    await expect(store.upsert({ ...tenantWrite('acme'), privateKey: '' })).rejects.toThrow(/privateKey/);
    expect(await store.list()).toEqual([]);
  });
});

describe('list', () => {
  it('returns every tenant ordered by company id, case-insensitively', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    for (const id of ['globex', 'Acme', 'initech']) await store.upsert(tenantWrite(id));
    expect((await store.list()).map((t) => t.companyId)).toEqual(['Acme', 'globex', 'initech']);
  });
});

describe('delete', () => {
  it('deletes a tenant, case-insensitively, and reports whether there was one', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await store.upsert(tenantWrite('Acme'));
    await store.upsert(tenantWrite('globex'));
    expect(await store.delete('ACME')).toBe(true);
    expect(await store.get('acme')).toBeNull();
    expect(await store.delete('acme')).toBe(false);
    expect((await store.list()).map((t) => t.companyId)).toEqual(['globex']);
  });

  it('refuses to delete with a stale version', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await store.upsert(tenantWrite('acme'));
    await store.upsert(tenantWrite('acme'));
    await expect(store.delete('acme', { expectedVersion: 1 })).rejects.toMatchObject({
      name: 'VersionConflictError',
      actualVersion: 2,
    });
    expect(await store.get('acme')).not.toBeNull();
    expect(await store.delete('acme', { expectedVersion: 2 })).toBe(true);
  });

  it('answers false, not a conflict, when the tenant is already gone', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    expect(await store.delete('acme', { expectedVersion: 3 })).toBe(false);
  });
});

describe('saveTestResult', () => {
  it('stores the last test without bumping the version or updatedAt', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    const { tenant } = await store.upsert(tenantWrite('acme'));
    const result = testResult(false);
    await store.saveTestResult('ACME', result);
    expect(await store.get('acme')).toEqual({ ...tenant, lastTest: result });
    // The admin's form, opened at version 1, can still be saved.
    await expect(store.upsert(tenantWrite('acme'), { expectedVersion: 1 })).resolves.toMatchObject({
      tenant: { version: 2, lastTest: result },
    });
  });

  it('replaces the previous result', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await store.upsert(tenantWrite('acme'));
    await store.saveTestResult('acme', testResult(false));
    const second = testResult(true);
    await store.saveTestResult('acme', second);
    expect((await store.get('acme'))?.lastTest).toEqual(second);
  });

  it('does nothing for an unknown tenant', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await store.saveTestResult('ghost', testResult(true));
    expect(await store.list()).toEqual([]);
  });

  it('rejects a result that is not a ConnectionTestResult', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    await store.upsert(tenantWrite('acme'));
    await expect(store.saveTestResult('acme', { ok: 'yes' } as never)).rejects.toThrow();
    expect((await store.get('acme'))?.lastTest).toBeNull();
  });
});

describe('persistence', () => {
  it.each([
    ['the generated key file', () => undefined],
    ['SECRET_KEY', (() => {
      const key = generateSecretKey();
      return () => key;
    })()],
  ])('keeps every tenant across a close and re-open with %s', async (_name, secretKey) => {
    const dataDir = await tempDir();
    const first = await openStore({ dataDir, secretKey: secretKey() });
    await first.upsert(tenantWrite('acme'));
    await first.upsert(tenantWrite('globex', { boardIds: [7] }));
    await first.saveTestResult('globex', testResult(true));
    const before = await first.list();
    first.close();
    const second = await openStore({ dataDir, secretKey: secretKey() });
    expect(await second.list()).toEqual(before);
  });
});

describe('secrets at rest', () => {
  it('never writes a key in clear to pod.db or its WAL', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir });
    const writes = [tenantWrite('acme'), tenantWrite('globex')];
    for (const w of writes) await store.upsert(w);
    await store.upsert({ ...writes[0]!, ...tenantWrite('acme') });
    const secrets = writes.flatMap((w) => [w.publicKey, w.privateKey]);
    const look = async (file: string) => {
      const bytes = await readFile(path.join(dataDir, file));
      expect(bytes.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        for (const encoding of ['utf8', 'utf16le'] as const) {
          expect(bytes.includes(Buffer.from(secret, encoding))).toBe(false);
        }
        expect(bytes.includes(Buffer.from(Buffer.from(secret).toString('base64url')))).toBe(false);
      }
      // The probe works: non-secret fields are there in clear.
      expect(bytes.includes(Buffer.from('na.myconnectwise.net'))).toBe(true);
    };
    await look('pod.db-wal');
    store.close();
    await look('pod.db');
  });

  it('stores each key as v1.<kid>.<iv>.<tag>.<ct> under the current key', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir });
    await store.upsert(tenantWrite('acme'));
    const row = raw(dataDir).prepare('SELECT public_key, private_key FROM tenants').get()!;
    const current = readKeyFile(dataDir)!.current;
    for (const value of [row['public_key'], row['private_key']]) {
      expect(String(value)).toMatch(/^v1\./);
      expect(sealedKeyId(String(value))).toBe(current);
    }
  });
});

describe('rows that cannot be read', () => {
  async function twoTenants() {
    const dataDir = await tempDir();
    const reported: CorruptTenantError[] = [];
    const store = await openStore({ dataDir, onCorruptRow: (e) => reported.push(e) });
    const acme = tenantWrite('acme');
    await store.upsert(acme);
    const { tenant: globex } = await store.upsert(tenantWrite('globex'));
    return { dataDir, store, reported, acme, globex, db: raw(dataDir) };
  }

  it('reports a column that is not valid JSON by tenant and field; list() still returns the others', async () => {
    const { store, reported, globex, db } = await twoTenants();
    db.exec(`UPDATE tenants SET site = '{broken' WHERE company_key = 'acme'`);
    const error = await rejection(store.get('acme'));
    expect(error).toBeInstanceOf(CorruptTenantError);
    expect(error.message).toMatch(/^Tenant "acme" is stored in a form that cannot be read \(site: not valid JSON\)/);
    expect(await store.list()).toEqual([globex]);
    expect(reported.map((e) => [e.companyId, e.problems])).toEqual([['acme', ['site: not valid JSON']]]);
  });

  it('reports values the schema rejects, by path', async () => {
    const { store, db } = await twoTenants();
    db.exec(`UPDATE tenants SET board_ids = '["seven"]', last_test = '{"ok":1}' WHERE company_key = 'acme'`);
    const error = (await rejection(store.get('acme'))) as CorruptTenantError;
    expect(error.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^boardIds\.0: /), expect.stringMatching(/^lastTest\.ok: /)]),
    );
  });

  it('reports a tampered ciphertext without revealing the secret or the ciphertext', async () => {
    const { store, acme, db, reported } = await twoTenants();
    const sealed = String(db.prepare(`SELECT private_key FROM tenants WHERE company_key = 'acme'`).get()!['private_key']);
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[4]!, 'base64url');
    ct[0] = ct[0]! ^ 0xff;
    parts[4] = ct.toString('base64url');
    db.prepare(`UPDATE tenants SET private_key = ? WHERE company_key = 'acme'`).run(parts.join('.'));
    const error = (await rejection(store.get('acme'))) as CorruptTenantError;
    expect(error.problems).toEqual([expect.stringMatching(/^privateKey: .*authentication failed/)]);
    for (const text of [error.message, String(error.cause)]) {
      expect(text).not.toContain(acme.privateKey);
      expect(text).not.toContain(acme.publicKey);
      expect(text).not.toContain(parts[4]);
    }
    await store.list();
    expect(reported).toHaveLength(1);
  });

  it('refuses a ciphertext moved to another tenant’s row', async () => {
    const { store, db, reported } = await twoTenants();
    db.exec(`UPDATE tenants SET private_key = (SELECT private_key FROM tenants WHERE company_key = 'acme') WHERE company_key = 'globex'`);
    await expect(store.get('globex')).rejects.toThrow(/privateKey: .*authentication failed/);
    expect((await store.list()).map((t) => t.companyId)).toEqual(['acme']);
    expect(reported.map((e) => e.companyId)).toEqual(['globex']);
  });

  it('refuses a ciphertext moved to the other key field', async () => {
    const { store, db } = await twoTenants();
    db.exec(`UPDATE tenants SET public_key = private_key WHERE company_key = 'acme'`);
    await expect(store.get('acme')).rejects.toThrow(/publicKey: .*authentication failed/);
  });

  it('can still delete an unreadable tenant, or heal it by saving it again', async () => {
    const { store, db } = await twoTenants();
    db.exec(`UPDATE tenants SET site = 'null', last_test = '{bad' WHERE company_key IN ('acme', 'globex')`);
    expect(await store.delete('globex', { expectedVersion: 1 })).toBe(true);
    const healed = await store.upsert(tenantWrite('acme'), { expectedVersion: 1 });
    expect(healed.tenant).toMatchObject({ version: 2, lastTest: null });
    expect(await store.get('acme')).toEqual(healed.tenant);
  });

  it('by default reports an unreadable row as a process warning', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir });
    await store.upsert(tenantWrite('acme'));
    raw(dataDir).exec(`UPDATE tenants SET board_ids = 'x'`);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      expect(await store.list()).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Tenant "acme"'), { code: 'CORRUPT_TENANT' });
    } finally {
      warn.mockRestore();
    }
  });
});

describe('a key rotation by another process', () => {
  it('is picked up by a running store: old secrets read, new ones sealed under the new key', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir });
    const { tenant } = await store.upsert(tenantWrite('acme'));
    const result = await rotateKey({ dataDir });
    expect(await store.get('acme')).toEqual(tenant);
    await store.upsert(tenantWrite('globex'));
    const row = raw(dataDir).prepare(`SELECT private_key FROM tenants WHERE company_key = 'globex'`).get()!;
    expect(sealedKeyId(String(row['private_key']))).toBe(result.currentKeyId);
  });
});

describe('ping and close', () => {
  it('answers ping while open and not after close; close twice is harmless', async () => {
    const store = await openStore({ dataDir: await tempDir() });
    expect(store.ping()).toBe(true);
    store.close();
    expect(store.ping()).toBe(false);
    store.close();
    await expect(store.get('acme')).rejects.toThrow('The tenant store is closed.');
    await expect(store.upsert(tenantWrite('acme'))).rejects.toThrow('The tenant store is closed.');
  });
});
