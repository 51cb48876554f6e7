import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openPodDatabase } from './database.ts';
import { CorruptTenantError } from './errors/CorruptTenantError.ts';
import { MigrationError } from './errors/MigrationError.ts';
import { DatabaseUnavailableError } from './errors/DatabaseUnavailableError.ts';
import { SecretDecryptionError } from './errors/SecretDecryptionError.ts';
import { SecretKeyError } from './errors/SecretKeyError.ts';
import { environmentKeyRing, keyFilePath, loadKeyRing, newKeyFile, readKeyFile, writeKeyFile, type KeyRing } from './key-ring.ts';
import { migratePostgres } from './postgres-migrations.ts';
import { createPostgresPool, inTransaction } from './postgres-pool.ts';
import { tenantChannel } from './postgres-store.ts';
import { assertKeyIdsAvailable, keyIdsInUse } from './tenant-row.ts';
import { openSecret, sealedKeyId, sealSecret, secretAad, type SecretField } from './secret-box.ts';
import { PreviousSecretKeys, SecretKey, generateSecretKey } from './secret-key.ts';
import { assertKeysAvailable, secretKeyIdsInUse } from './sqlite-store.ts';
import { immediateTransaction } from './transaction.ts';

/**
 * Re-encrypts every stored secret under one key, in one transaction.
 *
 * Without SECRET_KEY (key file mode) a new key is generated, added to DATA_DIR/secret-keys.json
 * and made current; afterwards keys no secret uses are removed from the file. With SECRET_KEY,
 * SECRET_KEY is the target and the old key comes from PREVIOUS_SECRET_KEY (or the key file);
 * the operator then drops PREVIOUS_SECRET_KEY.
 */

export type RotationOptions = {
  dataDir: string;
  secretKey?: string | undefined;
  previousSecretKeys?: readonly string[] | undefined;
};

export type RotationResult = {
  mode: 'key-file' | 'secret-key';
  /** Secrets per key id before the rotation. */
  before: Record<string, number>;
  currentKeyId: string;
  tenants: number;
  reencrypted: number;
  /** Keys removed from the key file because no secret uses them any more. */
  removedKeyIds: string[];
  /** SECRET_KEY mode: the key file exists but no secret needs it now. */
  keyFileUnused: boolean;
};

const secretColumns: readonly { field: SecretField; column: 'public_key' | 'private_key' }[] = [
  { field: 'publicKey', column: 'public_key' },
  { field: 'privateKey', column: 'private_key' },
];

export async function rotateKey(options: RotationOptions): Promise<RotationResult> {
  const { dataDir } = options;
  const previous = options.previousSecretKeys ?? [];
  const mode = options.secretKey === undefined ? 'key-file' : 'secret-key';
  const db = openPodDatabase(dataDir);
  try {
    const before = Object.fromEntries(secretKeyIdsInUse(db));
    const hasSecrets = Object.keys(before).length > 0;
    let ring: KeyRing = loadKeyRing({
      dataDir,
      secretKey: options.secretKey,
      previousSecretKeys: previous,
      createKeyFile: !hasSecrets || previous.length > 0,
    });
    assertKeysAvailable(db, ring);

    const select = db.prepare('SELECT company_key, company_id, public_key, private_key FROM tenants ORDER BY company_key');
    const update = db.prepare('UPDATE tenants SET public_key = ?, private_key = ? WHERE company_key = ?');
    let tenants = 0;
    let reencrypted = 0;
    immediateTransaction(db, () => {
      // Everything is opened before anything is written, so an unreadable secret stops the
      // rotation with nothing changed.
      const rows = select.all().map((row) => {
        const key = String(row['company_key']);
        const sealed = secretColumns.map(({ field, column }) => {
          const value = typeof row[column] === 'string' ? row[column] : '';
          try {
            return { field, value, plain: openSecret(ring, value, secretAad(key, field)) };
          } catch (error) {
            if (!(error instanceof SecretDecryptionError)) throw error;
            throw new CorruptTenantError(String(row['company_id'] ?? key), [`${field}: ${error.message}`], { cause: error });
          }
        });
        return { key, sealed };
      });
      if (mode === 'key-file') {
        // Written while we hold the write lock: a server that writes after our commit reloads
        // the file inside its own transaction and seals under the new key, never an old one.
        const file = readKeyFile(dataDir) ?? newKeyFile();
        const next = newKeyFile();
        writeKeyFile(dataDir, { format: 1, current: next.current, keys: [...file.keys, ...next.keys] });
        ring = loadKeyRing({ dataDir, previousSecretKeys: previous, createKeyFile: false });
      }
      for (const row of rows) {
        tenants += 1;
        const values = row.sealed.map((s) => {
          if (sealedKeyId(s.value) === ring.current.id) return s.value;
          reencrypted += 1;
          return sealSecret(ring, s.plain, secretAad(row.key, s.field));
        });
        update.run(values[0] ?? '', values[1] ?? '', row.key);
      }
    });

    const inUse = secretKeyIdsInUse(db);
    const removedKeyIds: string[] = [];
    let keyFileUnused = false;
    const file = readKeyFile(dataDir);
    if (mode === 'key-file' && file !== null) {
      const kept = file.keys.filter((k) => k.id === file.current || inUse.has(k.id));
      removedKeyIds.push(...file.keys.filter((k) => !kept.includes(k)).map((k) => k.id));
      if (removedKeyIds.length > 0) writeKeyFile(dataDir, { ...file, keys: kept });
    } else if (file !== null) {
      keyFileUnused = !file.keys.some((k) => inUse.has(k.id));
    }
    return { mode, before, currentKeyId: ring.current.id, tenants, reencrypted, removedKeyIds, keyFileUnused };
  } finally {
    db.close();
  }
}

/**
 * The same rotation on PostgreSQL (DATABASE_URL): SECRET_KEY is the target, the old key comes
 * from PREVIOUS_SECRET_KEY. One transaction holding an EXCLUSIVE lock on tenants, so instances
 * keep reading while it runs but no write can slip in between reading and re-sealing.
 * Rolling procedure: give every instance SECRET_KEY=new and PREVIOUS_SECRET_KEY=old, run this,
 * then drop PREVIOUS_SECRET_KEY everywhere.
 */
export async function rotatePostgresKey(options: {
  databaseUrl: string;
  secretKey: string;
  previousSecretKeys?: readonly string[] | undefined;
}): Promise<RotationResult> {
  const ring = environmentKeyRing({ secretKey: options.secretKey, previousSecretKeys: options.previousSecretKeys });
  const pool = createPostgresPool({ url: options.databaseUrl, max: 1 });
  try {
    await migratePostgres(pool);
    return await inTransaction(pool, async (client) => {
      await client.query('LOCK TABLE tenants IN EXCLUSIVE MODE');
      const { rows } = await client.query<Record<string, string>>(
        'SELECT company_key, company_id, public_key, private_key FROM tenants ORDER BY company_key',
      );
      const used = keyIdsInUse(rows);
      assertKeyIdsAvailable(
        used,
        ring,
        'Set SECRET_KEY to the new key and PREVIOUS_SECRET_KEY to the key in use (comma-separated for several).',
      );
      // Everything is opened before anything is written: an unreadable secret stops the
      // rotation with nothing changed (the transaction rolls back).
      const opened = rows.map((row) => {
        const key = String(row['company_key']);
        const sealed = secretColumns.map(({ field, column }) => {
          const value = row[column] ?? '';
          try {
            return { field, value, plain: openSecret(ring, value, secretAad(key, field)) };
          } catch (error) {
            if (!(error instanceof SecretDecryptionError)) throw error;
            throw new CorruptTenantError(String(row['company_id'] ?? key), [`${field}: ${error.message}`], { cause: error });
          }
        });
        return { key, sealed };
      });
      let reencrypted = 0;
      for (const row of opened) {
        const values = row.sealed.map((s) => {
          if (sealedKeyId(s.value) === ring.current.id) return s.value;
          reencrypted += 1;
          return sealSecret(ring, s.plain, secretAad(row.key, s.field));
        });
        await client.query('UPDATE tenants SET public_key = $1, private_key = $2 WHERE company_key = $3', [values[0], values[1], row.key]);
        await client.query('SELECT pg_notify($1, $2)', [tenantChannel, row.key]);
      }
      return {
        mode: 'secret-key' as const,
        before: Object.fromEntries(used),
        currentKeyId: ring.current.id,
        tenants: rows.length,
        reencrypted,
        removedKeyIds: [],
        keyFileUnused: false,
      };
    });
  } finally {
    await pool.end();
  }
}

const usage = `Usage: npm run rotate-key [-- --data-dir DIR]
       npm run rotate-key -- --generate-key

Re-encrypts every tenant secret in DATA_DIR/pod.db under a new key, in one transaction.
  SECRET_KEY unset:  a new key is added to DATA_DIR/secret-keys.json and made current;
                     keys no secret uses any more are removed from the file.
  SECRET_KEY set:    secrets are re-encrypted under SECRET_KEY; the old key is read from
                     PREVIOUS_SECRET_KEY (comma-separated for several) or the key file.
  DATABASE_URL set:  the same in PostgreSQL, in one transaction; SECRET_KEY (the new key)
                     and PREVIOUS_SECRET_KEY (the key in use) are required.
  --generate-key     print a new random key for SECRET_KEY and exit.
`;

const CliEnv = z.object({
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().optional()),
  SECRET_KEY: z.preprocess((v) => (v === '' ? undefined : v), SecretKey.optional()),
  PREVIOUS_SECRET_KEY: z.preprocess((v) => (v === '' ? undefined : v), PreviousSecretKeys.optional()),
});

function describe(result: RotationResult, dataDir: string): string[] {
  const lines: string[] = [];
  const before = Object.entries(result.before).map(([kid, n]) => `${kid} (${n})`).join(', ') || 'none';
  if (result.mode === 'key-file') {
    lines.push(
      `Re-encrypted ${result.reencrypted} secret(s) of ${result.tenants} tenant(s) under new key ${result.currentKeyId} in ${keyFilePath(dataDir)}.`,
      `Key ids in use before: ${before}.`,
    );
    if (result.removedKeyIds.length > 0) {
      lines.push(`Removed key(s) ${result.removedKeyIds.join(', ')} from the key file: no secret uses them.`);
    }
    lines.push('A running server picks up the new key file by itself.');
    return lines;
  }
  if (result.reencrypted === 0) {
    lines.push(
      `All ${Object.values(result.before).reduce((a, b) => a + b, 0)} secret(s) already use SECRET_KEY (key id ${result.currentKeyId}); nothing to do.`,
      'To rotate: set SECRET_KEY to a new key (see --generate-key), PREVIOUS_SECRET_KEY to the current one, and run this again.',
    );
  } else {
    lines.push(
      `Re-encrypted ${result.reencrypted} secret(s) of ${result.tenants} tenant(s) under SECRET_KEY (key id ${result.currentKeyId}).`,
      `Key ids in use before: ${before}.`,
      'PREVIOUS_SECRET_KEY is no longer needed: remove it and restart the server with the new SECRET_KEY.',
    );
  }
  if (result.keyFileUnused) {
    lines.push(`${keyFilePath(dataDir)} holds no key in use any more; you may delete it.`);
  }
  return lines;
}

/** The command line. Returns the exit code; prints key ids, never keys (except --generate-key's new one). */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        'generate-key': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (args.values.help === true) {
    io.out(usage);
    return 0;
  }
  if (args.values['generate-key'] === true) {
    io.out(generateSecretKey());
    return 0;
  }
  const parsed = CliEnv.safeParse(env);
  if (!parsed.success) {
    io.err(parsed.error.issues.map((i) => i.message).join('\n'));
    return 1;
  }
  const dataDir = path.resolve(args.values['data-dir'] ?? parsed.data.DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL;
  if (databaseUrl !== undefined && parsed.data.SECRET_KEY === undefined) {
    io.err('SECRET_KEY is required with DATABASE_URL: set it to the new key, and PREVIOUS_SECRET_KEY to the key in use.');
    return 1;
  }
  try {
    const result = databaseUrl !== undefined
      ? await rotatePostgresKey({ databaseUrl, secretKey: parsed.data.SECRET_KEY!, previousSecretKeys: parsed.data.PREVIOUS_SECRET_KEY })
      : await rotateKey({ dataDir, secretKey: parsed.data.SECRET_KEY, previousSecretKeys: parsed.data.PREVIOUS_SECRET_KEY });
    for (const line of describe(result, dataDir)) io.out(line);
    return 0;
  } catch (error) {
    const stopped =
      error instanceof SecretKeyError ||
      error instanceof MigrationError ||
      error instanceof CorruptTenantError ||
      error instanceof DatabaseUnavailableError;
    if (stopped) {
      io.err(`Key rotation stopped, nothing was re-encrypted: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
