import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SecretKeyError } from './errors/SecretKeyError.ts';
import { decodeSecretKey, generateSecretKey, secretKeyId } from './secret-key.ts';

/**
 * The keys this process can decrypt with, by id, and the one it encrypts with.
 *
 * Sources, merged: SECRET_KEY (when set it is always current), PREVIOUS_SECRET_KEY (read
 * only, for a rotation in progress) and DATA_DIR/secret-keys.json (current when SECRET_KEY is
 * unset; otherwise read only, so secrets written before SECRET_KEY was set stay readable).
 */
export type KeyRing = {
  readonly current: { readonly id: string; readonly key: Buffer };
  readonly keys: ReadonlyMap<string, Buffer>;
};

export type KeySources = {
  dataDir: string;
  secretKey?: string | undefined;
  previousSecretKeys?: readonly string[] | undefined;
};

export const keyFileName = 'secret-keys.json';

export const KeyFile = z.object({
  format: z.literal(1),
  current: z.string(),
  keys: z
    .array(z.object({ id: z.string(), key: z.string(), createdAt: z.string() }))
    .min(1, 'the key file lists no keys'),
});
export type KeyFile = z.infer<typeof KeyFile>;

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, keyFileName);
}

/** DATA_DIR, created owner-only when missing (an existing directory's mode is the operator's). */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/** Changes whenever the key file is replaced (writes go through rename, so the inode changes). */
export function keyFileSignature(dataDir: string): string | null {
  try {
    const s = statSync(keyFilePath(dataDir));
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The key file, or null when there is none. Refuses a file other users can read. */
export function readKeyFile(dataDir: string): KeyFile | null {
  const file = keyFilePath(dataDir);
  let text: string;
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new SecretKeyError(
        `${file} is open to other users (mode ${mode.toString(8).padStart(4, '0')}); run \`chmod 600 ${file}\`.`,
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (error instanceof SecretKeyError) throw error;
    throw new SecretKeyError(`${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SecretKeyError(`${file} is not valid JSON; restore it from a backup.`);
  }
  const parsed = KeyFile.safeParse(json);
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
    throw new SecretKeyError(`${file} is not a key file this server understands (${what}).`);
  }
  if (!parsed.data.keys.some((k) => k.id === parsed.data.current)) {
    throw new SecretKeyError(`${file} names current key ${parsed.data.current}, which it does not contain.`);
  }
  return parsed.data;
}

function writeDurably(target: string, text: string): void {
  const fd = openSync(target, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the key file atomically with mode 0600: a temporary file is written and fsynced,
 * then renamed over the old one (or, with `exclusive`, linked into place so that two
 * processes starting at once cannot both create a key).
 */
export function writeKeyFile(dataDir: string, keyFile: KeyFile, options: { exclusive?: boolean } = {}): void {
  const target = keyFilePath(dataDir);
  const temporary = path.join(dataDir, `.${keyFileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  writeDurably(temporary, `${JSON.stringify(keyFile, null, 2)}\n`);
  try {
    if (options.exclusive === true) {
      linkSync(temporary, target);
      unlinkSync(temporary);
    } else {
      renameSync(temporary, target);
    }
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Already renamed or never created: nothing to clean.
    }
    throw error;
  }
  syncDirectory(dataDir);
}

/** A key file holding one new key. */
export function newKeyFile(): KeyFile {
  const key = generateSecretKey();
  const id = secretKeyId(decodeSecretKey(key));
  return { format: 1, current: id, keys: [{ id, key, createdAt: new Date().toISOString() }] };
}

/**
 * Builds the key ring from its sources. With `createKeyFile` and neither SECRET_KEY nor a key
 * file, a new key is generated into DATA_DIR/secret-keys.json (0600). Without it (the store
 * passes false once secrets exist), a missing key is an error rather than a new key that could
 * never open them.
 */
export function loadKeyRing(sources: KeySources & { createKeyFile: boolean }): KeyRing {
  const keys = new Map<string, Buffer>();
  const file = readKeyFile(sources.dataDir);
  for (const entry of file?.keys ?? []) {
    const key = decodeSecretKey(entry.key, `${keyFilePath(sources.dataDir)} key ${entry.id}`);
    if (secretKeyId(key) !== entry.id) {
      throw new SecretKeyError(
        `${keyFilePath(sources.dataDir)} lists key ${entry.id} with a key whose id is ${secretKeyId(key)}; the file was edited by hand.`,
      );
    }
    keys.set(entry.id, key);
  }
  for (const previous of sources.previousSecretKeys ?? []) {
    const key = decodeSecretKey(previous, 'PREVIOUS_SECRET_KEY');
    keys.set(secretKeyId(key), key);
  }
  if (sources.secretKey !== undefined) {
    const key = decodeSecretKey(sources.secretKey, 'SECRET_KEY');
    const id = secretKeyId(key);
    keys.set(id, key);
    return { current: { id, key }, keys };
  }
  if (file !== null) {
    const key = keys.get(file.current);
    if (key === undefined) throw new SecretKeyError(`${keyFilePath(sources.dataDir)} has no current key.`);
    return { current: { id: file.current, key }, keys };
  }
  if (!sources.createKeyFile) {
    throw new SecretKeyError(
      `The database holds encrypted secrets but there is no key to open them: SECRET_KEY is not set and ` +
        `${keyFilePath(sources.dataDir)} does not exist. Set SECRET_KEY to the key in use, or restore the key file.`,
    );
  }
  ensureDataDir(sources.dataDir);
  try {
    writeKeyFile(sources.dataDir, newKeyFile(), { exclusive: true });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return loadKeyRing({ ...sources, createKeyFile: false });
}

/**
 * The key ring of a server on PostgreSQL: SECRET_KEY (current) and PREVIOUS_SECRET_KEY only.
 * No key file: instances share the database, not a disk, so every one must hold the same key.
 */
export function environmentKeyRing(sources: { secretKey: string; previousSecretKeys?: readonly string[] | undefined }): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const previous of sources.previousSecretKeys ?? []) {
    const key = decodeSecretKey(previous, 'PREVIOUS_SECRET_KEY');
    keys.set(secretKeyId(key), key);
  }
  const key = decodeSecretKey(sources.secretKey, 'SECRET_KEY');
  const id = secretKeyId(key);
  keys.set(id, key);
  return { current: { id, key }, keys };
}
