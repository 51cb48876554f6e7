import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretKeyError } from '../../../server/tenants/errors/SecretKeyError.ts';
import {
  keyFilePath,
  keyFileSignature,
  loadKeyRing,
  readKeyFile,
  writeKeyFile,
  newKeyFile,
} from '../../../server/tenants/key-ring.ts';
import { decodeSecretKey, generateSecretKey, secretKeyId } from '../../../server/tenants/secret-key.ts';
import { tempDir } from './fixtures.ts';

describe('loadKeyRing without SECRET_KEY', () => {
  it('generates a key on first start into a 0600 file, in a data directory it creates 0700', async () => {
    const dataDir = path.join(await tempDir(), 'nested', 'data');
    const ring = loadKeyRing({ dataDir, createKeyFile: true });
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(keyFilePath(dataDir))).mode & 0o777).toBe(0o600);
    const file = readKeyFile(dataDir);
    expect(file?.current).toBe(ring.current.id);
    expect(ring.current.key).toHaveLength(32);
    expect(secretKeyId(ring.current.key)).toBe(ring.current.id);
  });

  it('loads the same key on the next start', async () => {
    const dataDir = await tempDir();
    const first = loadKeyRing({ dataDir, createKeyFile: true });
    const second = loadKeyRing({ dataDir, createKeyFile: true });
    expect(second.current.id).toBe(first.current.id);
    expect(second.current.key.equals(first.current.key)).toBe(true);
  });

  it('refuses to invent a key when told secrets already exist', async () => {
    const dataDir = await tempDir();
    expect(() => loadKeyRing({ dataDir, createKeyFile: false })).toThrow(SecretKeyError);
    expect(() => loadKeyRing({ dataDir, createKeyFile: false })).toThrow(/SECRET_KEY is not set/);
    expect(readKeyFile(dataDir)).toBeNull();
  });

  it('refuses a key file other users can read, saying how to fix it', async () => {
    const dataDir = await tempDir();
    loadKeyRing({ dataDir, createKeyFile: true });
    await chmod(keyFilePath(dataDir), 0o644);
    expect(() => loadKeyRing({ dataDir, createKeyFile: true })).toThrow(/mode 0644.*chmod 600/);
  });

  it('refuses a key file that is not JSON or not a key file, without creating a new one', async () => {
    const dataDir = await tempDir();
    await writeFile(keyFilePath(dataDir), '{"format":1,', { mode: 0o600 });
    expect(() => loadKeyRing({ dataDir, createKeyFile: true })).toThrow(/not valid JSON/);
    await writeFile(keyFilePath(dataDir), '{"format":1,"current":"x","keys":[]}', { mode: 0o600 });
    expect(() => loadKeyRing({ dataDir, createKeyFile: true })).toThrow(/lists no keys/);
  });

  it('refuses a key file whose key does not match its id', async () => {
    const dataDir = await tempDir();
    const file = newKeyFile();
    const entry = file.keys[0]!;
    writeKeyFile(dataDir, { ...file, keys: [{ ...entry, key: generateSecretKey() }] });
    expect(() => loadKeyRing({ dataDir, createKeyFile: true })).toThrow(/edited by hand/);
  });

  it('also reads the keys in PREVIOUS_SECRET_KEY', async () => {
    const dataDir = await tempDir();
    const previous = generateSecretKey();
    const ring = loadKeyRing({ dataDir, previousSecretKeys: [previous], createKeyFile: true });
    expect(ring.keys.get(secretKeyId(decodeSecretKey(previous)))?.equals(decodeSecretKey(previous))).toBe(true);
    expect(ring.current.id).not.toBe(secretKeyId(decodeSecretKey(previous)));
  });
});

describe('loadKeyRing with SECRET_KEY', () => {
  it('uses SECRET_KEY as the current key and writes no key file', async () => {
    const dataDir = await tempDir();
    const secretKey = generateSecretKey();
    const ring = loadKeyRing({ dataDir, secretKey, createKeyFile: true });
    expect(ring.current.key.equals(decodeSecretKey(secretKey))).toBe(true);
    expect(readKeyFile(dataDir)).toBeNull();
  });

  it('keeps the key file readable, so secrets written before SECRET_KEY was set still open', async () => {
    const dataDir = await tempDir();
    const fromFile = loadKeyRing({ dataDir, createKeyFile: true });
    const ring = loadKeyRing({ dataDir, secretKey: generateSecretKey(), createKeyFile: true });
    expect(ring.current.id).not.toBe(fromFile.current.id);
    expect(ring.keys.has(fromFile.current.id)).toBe(true);
  });

  it('rejects a malformed SECRET_KEY without echoing it', async () => {
    const dataDir = await tempDir();
    expect(() => loadKeyRing({ dataDir, secretKey: 'hunter2hunter2', createKeyFile: true })).toThrow(
      expect.objectContaining({ name: 'SecretKeyError', message: expect.not.stringContaining('hunter2') }),
    );
  });
});

describe('writeKeyFile', () => {
  it('replaces the file atomically with mode 0600 and changes its signature', async () => {
    const dataDir = await tempDir();
    loadKeyRing({ dataDir, createKeyFile: true });
    const before = keyFileSignature(dataDir);
    const next = newKeyFile();
    writeKeyFile(dataDir, next);
    expect(keyFileSignature(dataDir)).not.toBe(before);
    expect((await stat(keyFilePath(dataDir))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(keyFilePath(dataDir), 'utf8'))).toEqual(next);
  });

  it('with exclusive, will not overwrite a key file another process created', async () => {
    const dataDir = await tempDir();
    const first = newKeyFile();
    writeKeyFile(dataDir, first, { exclusive: true });
    expect(() => writeKeyFile(dataDir, newKeyFile(), { exclusive: true })).toThrow(/EEXIST/);
    expect(readKeyFile(dataDir)).toEqual(first);
  });

  it('reports no signature when there is no key file', async () => {
    expect(keyFileSignature(await tempDir())).toBeNull();
  });
});
