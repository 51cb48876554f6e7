import { describe, expect, it } from 'vitest';
import { SecretDecryptionError } from '../../../server/tenants/errors/SecretDecryptionError.ts';
import type { KeyRing } from '../../../server/tenants/key-ring.ts';
import { openSecret, sealedKeyId, sealSecret, secretAad } from '../../../server/tenants/secret-box.ts';
import { decodeSecretKey, generateSecretKey, secretKeyId } from '../../../server/tenants/secret-key.ts';

function ringOf(current: string, ...others: string[]): KeyRing {
  const key = decodeSecretKey(current);
  const keys = new Map([current, ...others].map((k) => [secretKeyId(decodeSecretKey(k)), decodeSecretKey(k)] as const));
  return { current: { id: secretKeyId(key), key }, keys };
}

const plaintext = 'Priv8teKeyValue!';
const aad = secretAad('Acme', 'privateKey');

function decryptionError(fn: () => unknown): SecretDecryptionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecretDecryptionError) return error;
    throw error;
  }
  throw new Error('expected a SecretDecryptionError');
}

/** Flips one bit of the base64url part at `index` (1 = kid … 4 = ct). */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('sealSecret / openSecret', () => {
  const ring = ringOf(generateSecretKey());

  it('round-trips a secret', () => {
    expect(openSecret(ring, sealSecret(ring, plaintext, aad), aad)).toBe(plaintext);
  });

  it('round-trips non-ASCII text', () => {
    const value = 'clé-🔑-ключ';
    expect(openSecret(ring, sealSecret(ring, value, aad), aad)).toBe(value);
  });

  it('writes v1.<kid>.<iv>.<tag>.<ct> with the current key id and no plaintext', () => {
    const sealed = sealSecret(ring, plaintext, aad);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealedKeyId(sealed)).toBe(ring.current.id);
    expect(sealed).not.toContain(plaintext);
    expect(sealed).not.toContain(Buffer.from(plaintext).toString('base64url'));
  });

  it('uses a fresh IV each time, so equal secrets seal differently', () => {
    const a = sealSecret(ring, plaintext, aad);
    const b = sealSecret(ring, plaintext, aad);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toBe(b);
  });

  it('opens a secret sealed under an older key still in the ring', () => {
    const old = generateSecretKey();
    const sealed = sealSecret(ringOf(old), plaintext, aad);
    expect(openSecret(ringOf(generateSecretKey(), old), sealed, aad)).toBe(plaintext);
  });
});

describe('openSecret failures', () => {
  const ring = ringOf(generateSecretKey());
  const sealed = sealSecret(ring, plaintext, aad);

  it('names an unknown key id when the key is not in the ring', () => {
    const error = decryptionError(() => openSecret(ringOf(generateSecretKey()), sealed, aad));
    expect(error.reason).toBe('unknown_key');
    expect(error.keyId).toBe(ring.current.id);
    expect(error.message).toContain(ring.current.id);
  });

  it('fails authentication under a different key that claims the same id', () => {
    const impostor: KeyRing = { current: ring.current, keys: new Map([[ring.current.id, decodeSecretKey(generateSecretKey())]]) };
    expect(decryptionError(() => openSecret(impostor, sealed, aad)).reason).toBe('authentication_failed');
  });

  it.each([
    ['iv', 2],
    ['tag', 3],
    ['ciphertext', 4],
  ])('fails authentication when the %s is altered', (_part, index) => {
    expect(decryptionError(() => openSecret(ring, tamper(sealed, index), aad)).reason).toBe('authentication_failed');
  });

  it('fails when the ciphertext is moved to another tenant', () => {
    const error = decryptionError(() => openSecret(ring, sealed, secretAad('globex', 'privateKey')));
    expect(error.reason).toBe('authentication_failed');
  });

  it('fails when the ciphertext is moved to another field of the same tenant', () => {
    expect(decryptionError(() => openSecret(ring, sealed, secretAad('acme', 'publicKey'))).reason).toBe(
      'authentication_failed',
    );
  });

  it('binds to the company id case-insensitively', () => {
    expect(openSecret(ring, sealed, secretAad('ACME', 'privateKey'))).toBe(plaintext);
  });

  it.each([
    ['plain text', plaintext],
    ['another version', sealed.replace(/^v1/, 'v2')],
    ['a missing part', sealed.split('.').slice(0, 4).join('.')],
    ['a short tag', sealed.replace(/\.([A-Za-z0-9_-]{22})\./, '.AAAA.')],
  ])('reports %s as malformed', (_name, value) => {
    expect(decryptionError(() => openSecret(ring, value, aad)).reason).toBe('malformed');
  });

  it('never puts the plaintext or ciphertext in the message', () => {
    for (const value of [tamper(sealed, 4), plaintext, sealed]) {
      const error = decryptionError(() => openSecret(ringOf(generateSecretKey()), value, aad));
      expect(error.message).not.toContain(plaintext);
      expect(error.message).not.toContain(sealed.split('.')[4]);
    }
  });
});
