import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../../server/tenants/mask.ts';

describe('maskSecret', () => {
  it('shows eight dots and the last four characters of a key-length secret', () => {
    expect(maskSecret('AbCdEfGh12345678')).toBe('••••••••5678');
  });

  it('does not reveal the length of the secret', () => {
    expect(maskSecret('a'.repeat(40) + 'wxyz')).toBe(maskSecret('1234567890abwxyz'));
  });

  it('shows no characters of a secret shorter than twelve characters', () => {
    expect(maskSecret('short1234')).toBe('••••••••');
    expect(maskSecret('')).toBe('••••••••');
  });
});
