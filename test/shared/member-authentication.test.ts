import { describe, expect, expectTypeOf, it } from 'vitest';
import { MemberAuthentication } from '../../shared/member-authentication.ts';

/** What ConnectWise's getmemberauthentication answers, with the keys spelt exactly as it spells them. */
const fromConnectWise = {
  site: 'https://na.myconnectwise.net/v4_6_release/services/system_io/router/',
  companyid: 'acme',
  memberid: 'jsmith',
  memberHash: 'b3JpZ2luYWwtbWVtYmVyLWhhc2g=',
  memberContext: 'bWVtYmVyLWNvbnRleHQ=',
  memberEmail: 'jsmith@acme.example',
  codeBase: 'v4_6_release/',
};

const required = { companyid: 'acme', memberid: 'jsmith', memberHash: 'hash' };

const paths = (input: unknown) => MemberAuthentication.safeParse(input).error?.issues.map((i) => i.path.join('.')) ?? [];

describe('MemberAuthentication', () => {
  it('accepts what ConnectWise sends', () => {
    expect(MemberAuthentication.parse(fromConnectWise)).toEqual(fromConnectWise);
  });

  it('accepts the three required fields alone (Nilear sends no memberContext or codeBase)', () => {
    expect(MemberAuthentication.parse(required)).toEqual(required);
  });

  it.each([
    ['companyId', { memberid: 'jsmith', memberHash: 'hash', companyId: 'acme' }, 'companyid'],
    ['CompanyId', { memberid: 'jsmith', memberHash: 'hash', CompanyId: 'acme' }, 'companyid'],
    ['memberId', { companyid: 'acme', memberHash: 'hash', memberId: 'jsmith' }, 'memberid'],
    ['memberhash', { companyid: 'acme', memberid: 'jsmith', memberhash: 'hash' }, 'memberHash'],
    ['MemberHash', { companyid: 'acme', memberid: 'jsmith', MemberHash: 'hash' }, 'memberHash'],
  ])('does not take %s for the exact key', (_key, input, missing) => {
    expect(paths(input)).toContain(missing);
  });

  it.each([
    ['companyid', 100],
    ['memberid', 100],
    ['memberHash', 2048],
  ] as const)('caps %s at %d characters and refuses it empty', (key, cap) => {
    expect(MemberAuthentication.safeParse({ ...required, [key]: 'x'.repeat(cap) }).success).toBe(true);
    expect(paths({ ...required, [key]: 'x'.repeat(cap + 1) })).toEqual([key]);
    expect(paths({ ...required, [key]: '' })).toEqual([key]);
  });

  it('caps memberContext (a credential) at 4096 characters', () => {
    expect(MemberAuthentication.safeParse({ ...required, memberContext: 'x'.repeat(4096) }).success).toBe(true);
    expect(paths({ ...required, memberContext: 'x'.repeat(4097) })).toEqual(['memberContext']);
  });

  it.each([
    ['site', 2048],
    ['memberEmail', 320],
    ['codeBase', 100],
    ['ssoAccessToken', 16384],
    ['ssoIdToken', 16384],
  ] as const)('keeps the informational %s up to %d characters and reads a longer one as absent', (key, cap) => {
    expect(MemberAuthentication.parse({ ...required, [key]: 'x'.repeat(cap) })[key]).toBe('x'.repeat(cap));
    const parsed = MemberAuthentication.parse({ ...required, [key]: 'x'.repeat(cap + 1) });
    expect(parsed[key]).toBeUndefined();
    expect(parsed).toEqual(required);
  });

  it.each([
    ['a number as memberid', { ...required, memberid: 12 }, 'memberid'],
    ['null memberid', { ...required, memberid: null }, 'memberid'],
    ['null memberHash', { ...required, memberHash: null }, 'memberHash'],
    ['a number as memberContext', { ...required, memberContext: 12 }, 'memberContext'],
    ['an object as memberHash', { ...required, memberHash: { value: 'hash' } }, 'memberHash'],
  ])('refuses %s', (_what, input, path) => {
    expect(paths(input)).toEqual([path]);
  });

  it('reads null in every optional field as absent (a member without SSO or e-mail)', () => {
    const withNulls = {
      ...required,
      site: null,
      memberContext: null,
      memberEmail: null,
      codeBase: null,
      ssoAccessToken: null,
      ssoIdToken: null,
    };
    const parsed = MemberAuthentication.parse(withNulls);
    expect(parsed).toEqual(required);
    expect(JSON.parse(JSON.stringify(parsed))).toStrictEqual(required);
  });

  it('reads an informational field of the wrong type as absent', () => {
    const parsed = MemberAuthentication.parse({ ...required, memberEmail: 12, site: { url: 'x' }, ssoIdToken: true });
    expect(JSON.parse(JSON.stringify(parsed))).toStrictEqual(required);
  });

  it.each([null, undefined, 'companyid=acme', [required]])('refuses a body that is not an object (%j)', (input) => {
    expect(MemberAuthentication.safeParse(input).success).toBe(false);
  });

  it('ignores keys ConnectWise adds later: accepted, and not passed on', () => {
    const withExtra = { ...fromConnectWise, newField: 'x', ssoAccessToken: 'sso' };
    expect(MemberAuthentication.parse(withExtra)).toEqual({ ...fromConnectWise, ssoAccessToken: 'sso' });
  });

  it('types the required and optional fields', () => {
    expectTypeOf<MemberAuthentication['companyid']>().toEqualTypeOf<string>();
    expectTypeOf<MemberAuthentication['memberid']>().toEqualTypeOf<string>();
    expectTypeOf<MemberAuthentication['memberHash']>().toEqualTypeOf<string>();
    expectTypeOf<MemberAuthentication['memberContext']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MemberAuthentication['codeBase']>().toEqualTypeOf<string | undefined>();
  });
});
