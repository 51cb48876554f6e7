import { execFile } from 'node:child_process';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretKeyError } from '../../../server/tenants/errors/SecretKeyError.ts';
import { readKeyFile } from '../../../server/tenants/key-ring.ts';
import { main, rotateKey } from '../../../server/tenants/rotate-key.ts';
import { sealedKeyId } from '../../../server/tenants/secret-box.ts';
import { SecretKey, decodeSecretKey, generateSecretKey, secretKeyId } from '../../../server/tenants/secret-key.ts';
import { openSqliteTenantStore } from '../../../server/tenants/sqlite-store.ts';
import type { Tenant } from '../../../server/tenants/tenant.ts';
import { tempDir, tenantWrite, testResult } from './fixtures.ts';

const idOf = (key: string) => secretKeyId(decodeSecretKey(key));

/** Key ids of every stored secret, by tenant. */
function storedKeyIds(dataDir: string): Record<string, (string | null)[]> {
  const db = new DatabaseSync(path.join(dataDir, 'pod.db'));
  try {
    return Object.fromEntries(
      db
        .prepare('SELECT company_key, public_key, private_key FROM tenants')
        .all()
        .map((r) => [String(r['company_key']), [sealedKeyId(String(r['public_key'])), sealedKeyId(String(r['private_key']))]]),
    );
  } finally {
    db.close();
  }
}

/** Saves three tenants (one with a test result) and closes the store. */
async function seed(dataDir: string, secretKey?: string): Promise<Tenant[]> {
  const store = await openSqliteTenantStore({ dataDir, secretKey });
  for (const id of ['acme', 'Globex', 'initech']) await store.upsert(tenantWrite(id));
  await store.upsert(tenantWrite('acme', { boardIds: [2] }));
  await store.saveTestResult('initech', testResult(true));
  const tenants = await store.list();
  store.close();
  return tenants;
}

async function readAll(dataDir: string, secretKey?: string, previousSecretKeys?: string[]): Promise<Tenant[]> {
  const store = await openSqliteTenantStore({ dataDir, secretKey, previousSecretKeys });
  try {
    return await store.list();
  } finally {
    store.close();
  }
}

describe('rotateKey with the key file (SECRET_KEY unset)', () => {
  it('re-encrypts every secret under a new current key, leaving the tenants otherwise untouched', async () => {
    const dataDir = await tempDir();
    const before = await seed(dataDir);
    const oldId = readKeyFile(dataDir)!.current;

    const result = await rotateKey({ dataDir });

    expect(result.currentKeyId).not.toBe(oldId);
    expect(result).toMatchObject({ mode: 'key-file', tenants: 3, reencrypted: 6, before: { [oldId]: 6 } });
    expect(readKeyFile(dataDir)!.current).toBe(result.currentKeyId);
    expect(Object.values(storedKeyIds(dataDir)).flat()).toEqual(Array(6).fill(result.currentKeyId));
    // Same versions and timestamps: a rotation must not make an admin's open form stale.
    expect(await readAll(dataDir)).toEqual(before);
  });

  it('removes the old key from the file once no secret uses it', async () => {
    const dataDir = await tempDir();
    await seed(dataDir);
    const oldId = readKeyFile(dataDir)!.current;
    const result = await rotateKey({ dataDir });
    expect(result.removedKeyIds).toEqual([oldId]);
    expect(readKeyFile(dataDir)!.keys.map((k) => k.id)).toEqual([result.currentKeyId]);
  });

  it('can be run again, each time to a new key', async () => {
    const dataDir = await tempDir();
    const before = await seed(dataDir);
    const first = await rotateKey({ dataDir });
    const second = await rotateKey({ dataDir });
    expect(second.currentKeyId).not.toBe(first.currentKeyId);
    expect(second.before).toEqual({ [first.currentKeyId]: 6 });
    expect(await readAll(dataDir)).toEqual(before);
  });

  it('stops with nothing changed when a secret cannot be opened, keeping the old key current', async () => {
    const dataDir = await tempDir();
    await seed(dataDir);
    const keyFile = readKeyFile(dataDir);
    const db = new DatabaseSync(path.join(dataDir, 'pod.db'));
    db.exec(`UPDATE tenants SET public_key = private_key WHERE company_key = 'initech'`);
    const storedBefore = db.prepare('SELECT * FROM tenants ORDER BY company_key').all();
    await expect(rotateKey({ dataDir })).rejects.toThrow(/Tenant "initech".*publicKey: .*authentication failed/);
    expect(db.prepare('SELECT * FROM tenants ORDER BY company_key').all()).toEqual(storedBefore);
    db.close();
    expect(readKeyFile(dataDir)).toEqual(keyFile);
  });

  it('takes over secrets sealed under a former SECRET_KEY passed as PREVIOUS_SECRET_KEY', async () => {
    const dataDir = await tempDir();
    const former = generateSecretKey();
    const before = await seed(dataDir, former);
    const result = await rotateKey({ dataDir, previousSecretKeys: [former] });
    expect(result.before).toEqual({ [idOf(former)]: 6 });
    expect(readKeyFile(dataDir)!.current).toBe(result.currentKeyId);
    expect(await readAll(dataDir)).toEqual(before);
  });
});

describe('rotateKey with SECRET_KEY', () => {
  it('re-encrypts from PREVIOUS_SECRET_KEY to SECRET_KEY; afterwards SECRET_KEY alone opens everything', async () => {
    const dataDir = await tempDir();
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    const before = await seed(dataDir, oldKey);

    const result = await rotateKey({ dataDir, secretKey: newKey, previousSecretKeys: [oldKey] });

    expect(result).toMatchObject({ mode: 'secret-key', currentKeyId: idOf(newKey), reencrypted: 6, removedKeyIds: [] });
    expect(Object.values(storedKeyIds(dataDir)).flat()).toEqual(Array(6).fill(idOf(newKey)));
    expect(await readAll(dataDir, newKey)).toEqual(before);
    await expect(openSqliteTenantStore({ dataDir, secretKey: oldKey })).rejects.toThrow(SecretKeyError);
  });

  it('refuses without the old key, changing nothing', async () => {
    const dataDir = await tempDir();
    const oldKey = generateSecretKey();
    await seed(dataDir, oldKey);
    const error = rotateKey({ dataDir, secretKey: generateSecretKey() });
    await expect(error).rejects.toThrow(SecretKeyError);
    await expect(error).rejects.toThrow(idOf(oldKey));
    expect(new Set(Object.values(storedKeyIds(dataDir)).flat())).toEqual(new Set([idOf(oldKey)]));
  });

  it('has nothing to do when every secret already uses SECRET_KEY', async () => {
    const dataDir = await tempDir();
    const key = generateSecretKey();
    await seed(dataDir, key);
    expect(await rotateKey({ dataDir, secretKey: key })).toMatchObject({ reencrypted: 0, tenants: 3 });
  });

  it('moves secrets off the generated key file and says the file is no longer needed', async () => {
    const dataDir = await tempDir();
    const before = await seed(dataDir);
    const secretKey = generateSecretKey();
    const result = await rotateKey({ dataDir, secretKey });
    expect(result).toMatchObject({ reencrypted: 6, keyFileUnused: true });
    // The key file is not touched in this mode; the operator deletes it.
    expect(readKeyFile(dataDir)).not.toBeNull();
    expect(await readAll(dataDir, secretKey)).toEqual(before);
  });
});

describe('the rotate-key command', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
  }

  it('prints a fresh, valid SECRET_KEY with --generate-key', async () => {
    const { out, io } = capture();
    expect(await main(['--generate-key'], {}, io)).toBe(0);
    expect(out).toHaveLength(1);
    expect(SecretKey.safeParse(out[0]).success).toBe(true);
  });

  it('reports key ids and counts, never key material', async () => {
    const dataDir = await tempDir();
    await seed(dataDir);
    const oldKey = readKeyFile(dataDir)!.keys[0]!.key;
    const { out, err, io } = capture();
    expect(await main(['--data-dir', dataDir], {}, io)).toBe(0);
    expect(err).toEqual([]);
    const text = out.join('\n');
    const newKey = readKeyFile(dataDir)!.keys[0]!.key;
    expect(text).toContain(`Re-encrypted 6 secret(s) of 3 tenant(s) under new key ${readKeyFile(dataDir)!.current}`);
    expect(text).not.toContain(oldKey);
    expect(text).not.toContain(newKey);
  });

  it('takes DATA_DIR, SECRET_KEY and PREVIOUS_SECRET_KEY from the environment', async () => {
    const dataDir = await tempDir();
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    await seed(dataDir, oldKey);
    const { out, io } = capture();
    expect(await main([], { DATA_DIR: dataDir, SECRET_KEY: newKey, PREVIOUS_SECRET_KEY: oldKey }, io)).toBe(0);
    expect(out.join('\n')).toMatch(/PREVIOUS_SECRET_KEY is no longer needed/);
    expect(new Set(Object.values(storedKeyIds(dataDir)).flat())).toEqual(new Set([idOf(newKey)]));
  });

  it('exits 1 with a clear message on a malformed SECRET_KEY, without echoing it', async () => {
    const { err, io } = capture();
    expect(await main([], { DATA_DIR: await tempDir(), SECRET_KEY: 'tooshortkey' }, io)).toBe(1);
    expect(err.join('\n')).toMatch(/^SECRET_KEY must be 32 random bytes/);
    expect(err.join('\n')).not.toContain('tooshortkey');
  });

  it('exits 1 and says nothing changed when the old key is missing', async () => {
    const dataDir = await tempDir();
    await seed(dataDir, generateSecretKey());
    const { err, io } = capture();
    expect(await main([], { DATA_DIR: dataDir, SECRET_KEY: generateSecretKey() }, io)).toBe(1);
    expect(err.join('\n')).toMatch(/^Key rotation stopped, nothing was re-encrypted: .*PREVIOUS_SECRET_KEY/);
  });

  it('exits 2 on an unknown option', async () => {
    const { err, io } = capture();
    expect(await main(['--force'], {}, io)).toBe(2);
    expect(err.join('\n')).toContain('Usage:');
  });

  it('runs as a script under Node 24', async () => {
    const dataDir = await tempDir();
    await seed(dataDir);
    const { stdout } = await promisify(execFile)(process.execPath, ['server/tenants/rotate-key.ts', '--data-dir', dataDir], {
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(stdout).toContain(`under new key ${readKeyFile(dataDir)!.current}`);
  });
});
