import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  CompanyId,
  HostMode,
  MAX_TICKET_ID,
  PodConfig,
  PodMember,
  PodSession,
  TicketId,
} from '../../shared/pod-api.ts';

describe('TicketId', () => {
  it.each([
    [1, 1],
    [42, 42],
    [MAX_TICKET_ID, 2_147_483_647],
    ['1', 1],
    ['12345', 12345],
    ['2147483647', 2_147_483_647],
  ])('accepts %j as ticket %d', (input, expected) => {
    expect(TicketId.parse(input)).toBe(expected);
  });

  it.each([
    ['zero', 0],
    ['"0"', '0'],
    ['a negative number', -5],
    ['a negative digit string', '-5'],
    ['a fraction', 1.5],
    ['a decimal string', '1.5'],
    ['one past the 32-bit maximum', 2_147_483_648],
    ['one past the 32-bit maximum as digits', '2147483648'],
    ['eleven digits', '12345678901'],
    ['exponent notation', '1e3'],
    ['hex notation', '0x10'],
    ['a leading space', ' 12'],
    ['a trailing newline', '12\n'],
    ['the empty string', ''],
    ['an unsubstituted ConnectWise token', '[cw_id]'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
    ['a boolean', true],
    ['an array', [12]],
  ])('refuses %s', (_what, input) => {
    expect(TicketId.safeParse(input).success).toBe(false);
  });

  it('says why a number out of range is refused', () => {
    const result = TicketId.safeParse(0);
    expect(result.error?.issues[0]?.message).toBe('a ticket id is between 1 and 2147483647');
  });

  it('takes a number or a string and gives a number', () => {
    expectTypeOf<z.input<typeof TicketId>>().toEqualTypeOf<number | string>();
    expectTypeOf<z.output<typeof TicketId>>().toEqualTypeOf<number>();
  });
});

describe('CompanyId', () => {
  it.each(['acme', 'ACME', 'demo', '1msp', 'acme_msp', 'acme.msp', 'acme-msp', 'a', 'a'.repeat(100), 'A1_.-z'])(
    'accepts %j',
    (input) => {
      expect(CompanyId.parse(input)).toBe(input);
    },
  );

  it.each([
    ['empty', ''],
    ['101 characters', 'a'.repeat(101)],
    ['a leading underscore', '_acme'],
    ['a leading dot', '.acme'],
    ['a leading dash', '-acme'],
    ['a dot-dot path segment', '..'],
    ['a space', 'acme msp'],
    ['a slash', 'acme/msp'],
    ['a backslash', 'acme\\msp'],
    ['a percent escape', 'acme%2Fmsp'],
    ['a query', 'acme?x=1'],
    ['a non-ASCII letter', 'acmé'],
    ['a trailing newline', 'acme\n'],
    ['HTML', '<b>acme</b>'],
  ])('refuses %s', (_what, input) => {
    expect(CompanyId.safeParse(input).success).toBe(false);
  });

  it('explains the allowed characters', () => {
    expect(CompanyId.safeParse('acme msp').error?.issues[0]?.message).toMatch(/letters, digits/);
  });
});

describe('PodSession', () => {
  const session = {
    token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
    expiresAt: '2026-01-01T00:15:00.000Z',
    member: { identifier: 'jsmith', name: 'John Smith' },
  };

  it('accepts a session with its member', () => {
    expect(PodSession.parse(session)).toEqual(session);
  });

  it.each([
    ['no token', { ...session, token: undefined }],
    ['no expiry', { ...session, expiresAt: undefined }],
    ['no member', { ...session, member: undefined }],
    ['a member without a name', { ...session, member: { identifier: 'jsmith' } }],
    ['a numeric token', { ...session, token: 12 }],
  ])('refuses %s', (_what, input) => {
    expect(PodSession.safeParse(input).success).toBe(false);
  });

  it('has the shape the pod reads', () => {
    expectTypeOf<PodSession>().toEqualTypeOf<{ token: string; expiresAt: string; member: PodMember }>();
    expectTypeOf<PodMember>().toEqualTypeOf<{ identifier: string; name: string }>();
  });
});

describe('PodConfig', () => {
  const config = {
    companyId: 'acme',
    expectedOrigins: ['https://na.myconnectwise.net'],
    mode: 'connectwise',
    apiBase: '/api/pod/acme',
  } as const;
  const origins = (n: number) => Array.from({ length: n }, (_, i) => `https://host${i}.example.com`);

  it('accepts the settings of a ConnectWise-framed pod', () => {
    expect(PodConfig.parse(config)).toEqual(config);
  });

  it('accepts Nilear mode and a harness URL', () => {
    const nilear = {
      ...config,
      mode: 'nilear',
      expectedOrigins: ['https://na.myconnectwise.net', 'https://mtx.example.com'],
      harnessUrl: 'http://127.0.0.1:4010/harness',
    };
    expect(PodConfig.parse(nilear)).toEqual(nilear);
  });

  // The site, the Nilear origin and up to ten extra origins (issue 11).
  it.each([1, 2, 4, 12])('accepts %d expected origins', (n) => {
    expect(PodConfig.safeParse({ ...config, expectedOrigins: origins(n) }).success).toBe(true);
  });

  it.each([0, 13, 50])('refuses %d expected origins', (n) => {
    expect(PodConfig.safeParse({ ...config, expectedOrigins: origins(n) }).success).toBe(false);
  });

  it('refuses an expected origin longer than 300 characters', () => {
    const long = `https://${'a'.repeat(292)}.com`;
    expect(long.length).toBeGreaterThan(300);
    expect(PodConfig.safeParse({ ...config, expectedOrigins: [long] }).success).toBe(false);
  });

  it.each([
    ['a bad company id', { ...config, companyId: 'acme msp' }],
    ['an unknown mode', { ...config, mode: 'teams' }],
    ['no apiBase', { ...config, apiBase: undefined }],
    ['origins as one string', { ...config, expectedOrigins: 'https://na.myconnectwise.net' }],
  ])('refuses %s', (_what, input) => {
    expect(PodConfig.safeParse(input).success).toBe(false);
  });

  it('names the host modes', () => {
    expect(HostMode.options).toEqual(['connectwise', 'nilear']);
    expectTypeOf<PodConfig['mode']>().toEqualTypeOf<'connectwise' | 'nilear'>();
    expectTypeOf<PodConfig['harnessUrl']>().toEqualTypeOf<string | undefined>();
  });
});
