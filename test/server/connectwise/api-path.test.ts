import { describe, expect, it } from 'vitest';
import { joinApiPath } from '../../../server/connectwise/api-path.ts';

const base = 'https://api-na.myconnectwise.net/v2025_1/apis/3.0';

describe('joinApiPath', () => {
  it('joins a relative path below the base and reports the endpoint without the query', () => {
    const { url, endpoint } = joinApiPath(base, 'service/tickets/42?fields=id,board');
    expect(url.href).toBe('https://api-na.myconnectwise.net/v2025_1/apis/3.0/service/tickets/42?fields=id,board');
    expect(endpoint).toBe('service/tickets/42');
  });

  it('treats one leading slash as relative to the base, not to the host', () => {
    expect(joinApiPath(base, '/system/info').url.pathname).toBe('/v2025_1/apis/3.0/system/info');
  });

  it.each([
    'https://evil.example/x',
    '//evil.example/x',
    'http:evil.example',
    '\\\\evil.example\\x',
    '../../login',
    'service/../../../x',
    'system/info#frag',
    'system/ info',
    './system',
  ])('refuses %s', (path) => {
    expect(() => joinApiPath(base, path)).toThrow(TypeError);
  });

  it('refuses percent-encoded dot segments that URL parsing would turn into "..', () => {
    expect(() => joinApiPath(base, '%2e%2e/%2e%2e/login')).toThrow(/escapes/);
  });
});
