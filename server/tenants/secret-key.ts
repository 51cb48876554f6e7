import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SecretKeyError } from './errors/SecretKeyError.ts';

/**
 * SECRET_KEY is 32 random bytes (an AES-256 key), written either as 64 hex characters or as
 * base64 / base64url (44 characters with "=" padding, or 43 without). Anything else is
 * rejected rather than stretched: a passphrase would need a KDF and invites weak keys.
 */
export const secretKeyBytes = 32;

const hex = /^[0-9a-fA-F]{64}$/;
const base64 = /^[A-Za-z0-9+/]{43}=$/;
const base64url = /^[A-Za-z0-9_-]{43}$/;

function decode(value: string): Buffer | null {
  if (hex.test(value)) return Buffer.from(value, 'hex');
  if (base64.test(value)) {
    const bytes = Buffer.from(value, 'base64');
    // Non-canonical trailing bits would let two spellings name one key; refuse them.
    return bytes.toString('base64') === value ? bytes : null;
  }
  if (base64url.test(value)) {
    const bytes = Buffer.from(value, 'base64url');
    return bytes.toString('base64url') === value ? bytes : null;
  }
  return null;
}

const howTo =
  'must be 32 random bytes written as 64 hex characters or as base64 (44 characters, or 43 without "=" padding); ' +
  'generate one with `npx node server/tenants/rotate-key.ts --generate-key` or `openssl rand -base64 32`';

/** A zod schema for one key variable; the message names the variable and never echoes its value. */
export function secretKeySchema(name = 'SECRET_KEY') {
  return z
    .string({ error: `${name} ${howTo}` })
    .trim()
    .refine((v) => decode(v) !== null, { error: `${name} ${howTo}` });
}

/** SECRET_KEY as config.ts validates it (the value stays a string; the store decodes it). */
export const SecretKey = secretKeySchema('SECRET_KEY');

/** PREVIOUS_SECRET_KEY: one key, or several separated by commas, readable during a rotation. */
export const PreviousSecretKeys = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== ''),
  )
  .pipe(z.array(secretKeySchema('PREVIOUS_SECRET_KEY')));

/** The key's 32 bytes. Throws SecretKeyError (naming `name`, not the value) when malformed. */
export function decodeSecretKey(value: string, name = 'SECRET_KEY'): Buffer {
  const bytes = decode(value.trim());
  if (bytes === null || bytes.length !== secretKeyBytes) throw new SecretKeyError(`${name} ${howTo}.`);
  return bytes;
}

/**
 * A key's public id, written into every secret sealed with it. Derived from the key (an HMAC,
 * so it reveals nothing about it) so that SECRET_KEY needs no separate id and the same key
 * always has the same id, whichever variable or file it comes from.
 */
export function secretKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('connectwise-pod secret key id v1').digest().subarray(0, 9).toString('base64url');
}

/** A fresh key in the base64url spelling (43 characters). */
export function generateSecretKey(): string {
  return randomBytes(secretKeyBytes).toString('base64url');
}
