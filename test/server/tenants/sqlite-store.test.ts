import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretKeyError } from '../../../server/tenants/errors/SecretKeyError.ts';
import { keyFilePath, readKeyFile } from '../../../server/tenants/key-ring.ts';
import { rotateKey } from '../../../server/tenants/rotate-key.ts';
import { sealedKeyId } from '../../../server/tenants/secret-box.ts';
import { decodeSecretKey, generateSecretKey, secretKeyId } from '../../../server/tenants/secret-key.ts';
import { openSqliteTenantStore, type SqliteTenantStoreOptions } from '../../../server/tenants/sqlite-store.ts';
import type { TenantStore } from '../../../server/tenants/tenant.ts';
import { tempDir, tenantWrite, testResult } from './fixtures.ts';
import { tenantStoreContract } from './tenant-store-contract.ts';

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

describe('the TenantStore contract, on SQLite', () => {
  tenantStoreContract({
    async fresh() {
      const dataDir = await tempDir();
      return {
        open: (options = {}) => openStore({ dataDir, ...options }),
        async exec(sql, params = []) {
          raw(dataDir).prepare(sql).run(...(params as string[]));
        },
        async value(sql) {
          return String(Object.values(raw(dataDir).prepare(sql).get() ?? {})[0]);
        },
      };
    },
  });
});

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

