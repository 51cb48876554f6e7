import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretKeyError } from '../../../server/tenants/errors/SecretKeyError.ts';
import {
  PreviousSecretKeys,
  SecretKey,
  decodeSecretKey,
  generateSecretKey,
  secretKeyId,
} from '../../../server/tenants/secret-key.ts';

const bytes = randomBytes(32);

describe('SecretKey', () => {
  it.each([
    ['64 hex characters', bytes.toString('hex')],
    ['base64 with padding', bytes.toString('base64')],
    ['base64url without padding', bytes.toString('base64url')],
  ])('accepts 32 bytes as %s and decodes them to the same key', (_name, value) => {
    expect(SecretKey.parse(value)).toBe(value);
    expect(decodeSecretKey(value).equals(bytes)).toBe(true);
  });

  it('ignores surrounding whitespace, as env files often add a newline', () => {
    expect(SecretKey.safeParse(` ${bytes.toString('hex')}\n`).success).toBe(true);
  });

  it.each([
    ['a passphrase', 'correct horse battery staple'],
    ['31 bytes', randomBytes(31).toString('hex')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['63 hex characters', bytes.toString('hex').slice(1)],
    ['an empty string', ''],
  ])('rejects %s with a message naming SECRET_KEY and not echoing the value', (_name, value) => {
    const result = SecretKey.safeParse(value);
    expect(result.success).toBe(false);
    const message = result.error?.issues.map((i) => i.message).join(' ') ?? '';
    expect(message).toContain('SECRET_KEY must be 32 random bytes');
    if (value !== '') expect(message).not.toContain(value);
  });

  it('rejects a base64url key whose unused trailing bits are set', () => {
    const canonical = bytes.toString('base64url');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes fill 42 characters and 4 bits of the 43rd; its 2 low bits must be zero.
    const last = alphabet.indexOf(canonical.at(-1) ?? 'A');
    const twisted = canonical.slice(0, -1) + alphabet[last ^ 1];
    expect(twisted).not.toBe(canonical);
    expect(SecretKey.safeParse(twisted).success).toBe(false);
  });
});

describe('decodeSecretKey', () => {
  it('throws SecretKeyError naming the variable, without the value', () => {
    expect(() => decodeSecretKey('not-a-key-value', 'PREVIOUS_SECRET_KEY')).toThrow(SecretKeyError);
    expect(() => decodeSecretKey('not-a-key-value', 'PREVIOUS_SECRET_KEY')).toThrow(/^PREVIOUS_SECRET_KEY must be/);
    expect(() => decodeSecretKey('not-a-key-value')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('not-a-key-value') }));
  });
});

describe('PreviousSecretKeys', () => {
  it('takes one key or several separated by commas', () => {
    const a = generateSecretKey();
    const b = randomBytes(32).toString('hex');
    expect(PreviousSecretKeys.parse(a)).toEqual([a]);
    expect(PreviousSecretKeys.parse(`${a}, ${b}`)).toEqual([a, b]);
  });

  it('names PREVIOUS_SECRET_KEY when one of them is malformed', () => {
    const result = PreviousSecretKeys.safeParse(`${generateSecretKey()},oops`);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^PREVIOUS_SECRET_KEY must be/);
  });
});

describe('secretKeyId', () => {
  it('is the same for every spelling of a key and differs between keys', () => {
    const id = secretKeyId(decodeSecretKey(bytes.toString('hex')));
    expect(secretKeyId(decodeSecretKey(bytes.toString('base64')))).toBe(id);
    expect(secretKeyId(randomBytes(32))).not.toBe(id);
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});

describe('generateSecretKey', () => {
  it('produces a valid SECRET_KEY, different each time', () => {
    const a = generateSecretKey();
    expect(SecretKey.safeParse(a).success).toBe(true);
    expect(generateSecretKey()).not.toBe(a);
  });
});
