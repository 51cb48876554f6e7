import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretDecryptionError } from './errors/SecretDecryptionError.ts';
import type { KeyRing } from './key-ring.ts';

/**
 * AES-256-GCM for the tenants' ConnectWise keys, sealed as `v1.<kid>.<iv>.<tag>.<ct>`
 * (base64url parts): a random 96-bit IV per seal, a 128-bit tag, and the id of the key used
 * so that old keys can be found and retired (OWASP Cryptographic Storage; NIST SP 800-38D).
 */

const ivBytes = 12;
const tagBytes = 16;
const sealed = /^v1\.([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]+)$/;

export type SecretField = 'publicKey' | 'privateKey';

/**
 * The additional authenticated data: a sealed value only opens in the row and column it was
 * written for, so copying a ciphertext to another tenant or field fails.
 */
export function secretAad(companyId: string, field: SecretField): string {
  return `${companyId.toLowerCase()}|${field}`;
}

export function sealSecret(ring: KeyRing, plaintext: string, aad: string): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ['v1', ring.current.id, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
}

/** The id of the key a sealed value was written with, or null when it is not a sealed value. */
export function sealedKeyId(value: string): string | null {
  return sealed.exec(value)?.[1] ?? null;
}

/** Opens a sealed value; throws SecretDecryptionError (never carrying the value) on any failure. */
export function openSecret(ring: KeyRing, value: string, aad: string): string {
  const parts = sealed.exec(value);
  if (parts === null) throw new SecretDecryptionError('malformed', null);
  const [, kid, iv, tag, ct] = parts as unknown as [string, string, string, string, string];
  const key = ring.keys.get(kid);
  if (key === undefined) throw new SecretDecryptionError('unknown_key', kid);
  const ivBuffer = Buffer.from(iv, 'base64url');
  const tagBuffer = Buffer.from(tag, 'base64url');
  if (ivBuffer.length !== ivBytes || tagBuffer.length !== tagBytes) throw new SecretDecryptionError('malformed', kid);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ivBuffer, { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tagBuffer);
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError('authentication_failed', kid);
  }
}
