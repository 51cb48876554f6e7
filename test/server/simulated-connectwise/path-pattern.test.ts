import { describe, expect, it } from 'vitest';
import { pathMatches } from '../../../server/simulated-connectwise/path-pattern.ts';

describe('path patterns', () => {
  const notes = '/v4_6_release/apis/3.0/service/tickets/7/notes';

  it('match the end of the path with * spanning segments', () => {
    expect(pathMatches('service/tickets/*', notes)).toBe(true);
    expect(pathMatches('*/notes', notes)).toBe(true);
    expect(pathMatches('service/tickets', notes)).toBe(false);
  });

  it('anchor at the start when the pattern starts with /', () => {
    expect(pathMatches('/login/companyinfo/*', '/login/companyinfo/demo')).toBe(true);
    expect(pathMatches('/service/tickets/*', notes)).toBe(false);
  });

  it('ignore case and only match whole segments', () => {
    expect(pathMatches('SYSTEM/mymembers/info', '/v4_6_release/apis/3.0/system/myMembers/info')).toBe(true);
    expect(pathMatches('info', '/v4_6_release/apis/3.0/system/myMembers/info')).toBe(true);
    expect(pathMatches('nfo', '/v4_6_release/apis/3.0/system/myMembers/info')).toBe(false);
  });

  it('treat regular-expression characters literally', () => {
    expect(pathMatches('apis/3.0/system/info', '/v4_6_release/apis/3x0/system/info')).toBe(false);
  });
});
