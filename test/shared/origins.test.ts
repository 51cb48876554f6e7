import { describe, expect, it } from 'vitest';
import { hostileOrigins } from '../support/hostile-origins.ts';
import { MAX_ORIGIN_LENGTH, createOriginMatcher, normaliseOrigin } from '../../shared/origins.ts';

const real = 'https://na.myconnectwise.net';

describe('normaliseOrigin', () => {
  it.each([
    ['https://na.myconnectwise.net', real],
    ['https://NA.MyConnectWise.NET', real],
    ['HTTPS://na.myconnectwise.net', real],
    ['https://na.myconnectwise.net:443', real],
    ['https://na.myconnectwise.net/', real],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://127.0.0.1:80', 'http://127.0.0.1'],
    ['http://[::1]:4000', 'http://[::1]:4000'],
    ['https://cw.example.com:8443', 'https://cw.example.com:8443'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseOrigin(input)).toBe(expected);
  });

  it.each([
    ['empty string', ''],
    ['"null" (sandboxed, srcdoc and data: documents)', 'null'],
    ['a path', 'https://evil.com/na.myconnectwise.net'],
    ['a path on the real host', 'https://na.myconnectwise.net/v4_6_release'],
    ['a query', 'https://na.myconnectwise.net?x=1'],
    ['an empty query', 'https://na.myconnectwise.net?'],
    ['a fragment', 'https://na.myconnectwise.net#x'],
    ['userinfo', 'https://na.myconnectwise.net@evil.com'],
    ['user and password', 'https://u:p@na.myconnectwise.net'],
    ['another scheme', 'ftp://na.myconnectwise.net'],
    ['javascript:', 'javascript:alert(1)'],
    ['no slashes after the scheme', 'https:na.myconnectwise.net'],
    ['a bare host', 'na.myconnectwise.net'],
    ['a trailing dot', 'https://na.myconnectwise.net.'],
    ['a Cyrillic look-alike letter', 'https://nа.myconnectwise.net'],
    ['full-width letters the URL parser would fold', 'https://ｎａ.myconnectwise.net'],
    ['punctuation the URL parser would fold', 'https://na。myconnectwise.net'],
    ['a percent-escaped dot', 'https://na%2Emyconnectwise.net'],
    ['a tab the URL parser would remove', 'https://na.myconnect\twise.net'],
    ['leading whitespace', ' https://na.myconnectwise.net'],
    ['a backslash', 'https:\\\\na.myconnectwise.net'],
    ['a port out of range', 'https://na.myconnectwise.net:99999'],
    ['too long', `https://${'a'.repeat(MAX_ORIGIN_LENGTH)}.com`],
  ])('rejects %s', (_what, input) => {
    expect(normaliseOrigin(input)).toBeNull();
  });

  it.each([null, undefined, 42, {}, ['https://na.myconnectwise.net'], new URL(real)])(
    'rejects a non-string (%j)',
    (input) => {
      expect(normaliseOrigin(input)).toBeNull();
    },
  );
});

describe('createOriginMatcher', () => {
  const matcher = createOriginMatcher([real]);

  it.each([
    ['the Set-based allowlist holds the exact origin', real],
    ['upper-case host normalises equal', 'https://NA.MYCONNECTWISE.NET'],
    ['explicit default port normalises equal', 'https://na.myconnectwise.net:443'],
  ])('accepts: %s', (_what, candidate) => {
    expect(matcher.match(candidate)).toBe(real);
  });

  it.each(hostileOrigins)('rejects the look-alike %j', (candidate) => {
    expect(matcher.match(candidate)).toBeNull();
  });

  it('reports expected entries that are not origins and never matches them', () => {
    const m = createOriginMatcher(['null', '*', 'https://cw.example.com/path', real, 'HTTPS://NA.myconnectwise.net']);
    expect(m.origins).toEqual([real]);
    expect(m.invalid).toEqual(['null', '*', 'https://cw.example.com/path']);
    expect(m.match('null')).toBeNull();
    expect(m.match('*')).toBeNull();
  });

  it('matches each of several configured origins and nothing between them', () => {
    const m = createOriginMatcher([real, 'https://mtx.nilear.example']);
    expect(m.match('https://mtx.nilear.example')).toBe('https://mtx.nilear.example');
    expect(m.match(real)).toBe(real);
    expect(m.match('https://nilear.example')).toBeNull();
  });

  it('matches nothing when nothing is configured', () => {
    expect(createOriginMatcher([]).match(real)).toBeNull();
  });
});
