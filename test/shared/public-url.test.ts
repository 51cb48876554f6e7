import { describe, expect, it } from 'vitest';
import { isLocalOrigin, publicUrlWarning } from '../../shared/public-url.ts';

describe('publicUrlWarning', () => {
  it.each(['https://pod.example.com', 'https://pod.example.com:8443', 'http://localhost:8080', 'http://127.0.0.1:3000', 'http://[::1]:8080', 'http://pod.localhost'])(
    'says nothing for %s',
    (origin) => {
      expect(publicUrlWarning(origin)).toBeNull();
    },
  );

  it.each(['http://pod.example.com', 'http://10.0.0.5:8080', 'http://192.168.1.20'])('warns about %s, naming it and PUBLIC_URL', (origin) => {
    const warning = publicUrlWarning(origin);
    expect(warning).toContain(`PUBLIC_URL (${origin}) is not https`);
    expect(warning).toContain('public https address');
  });

  it('does not take a look-alike of localhost for a local origin', () => {
    expect(isLocalOrigin('http://localhost.example.com')).toBe(false);
    expect(isLocalOrigin('http://127.0.0.1.example.com')).toBe(false);
  });
});
