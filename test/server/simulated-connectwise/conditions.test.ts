import { describe, expect, it } from 'vitest';
import { ConditionsError, matchesConditions, parseConditions, readPath } from '../../../server/simulated-connectwise/conditions.ts';
import type { JsonRecord } from '../../../server/simulated-connectwise/world.ts';

const ticket: JsonRecord = {
  id: 1004,
  summary: 'Site-to-site VPN down',
  closedFlag: false,
  board: { id: 2, name: 'Network Operations' },
  company: { id: 19301, identifier: 'Fabrikam' },
  contact: null,
  _info: { dateEntered: '2026-03-16T04:12:00Z' },
};

const matches = (c: string) => matchesConditions(ticket, parseConditions(c));

describe('conditions', () => {
  it('compares nested ids with /', () => {
    expect(matches('company/id=19301')).toBe(true);
    expect(matches('company/id = 19298')).toBe(false);
  });

  it('takes bare booleans', () => {
    expect(matches('closedFlag=false')).toBe(true);
    expect(matches('closedFlag=true')).toBe(false);
  });

  it('combines with and / or and parentheses, and binds and tighter than or', () => {
    expect(matches('company/id=19301 and closedFlag=false')).toBe(true);
    expect(matches('company/id=1 and closedFlag=false or board/id=2')).toBe(true);
    expect(matches('company/id=1 and (closedFlag=false or board/id=2)')).toBe(false);
  });

  it('supports in (…) and not in (…)', () => {
    expect(matches('board/id in (1,2,3)')).toBe(true);
    expect(matches('board/id in (1, 3)')).toBe(false);
    expect(matches('board/id not in (1, 3)')).toBe(true);
  });

  it('compares quoted text case-insensitively, with contains and like', () => {
    expect(matches('company/identifier="fabrikam"')).toBe(true);
    expect(matches('summary contains "vpn"')).toBe(true);
    expect(matches('summary like "Site%down"')).toBe(true);
    expect(matches('summary not contains "printer"')).toBe(true);
  });

  it('compares [datetimes]', () => {
    expect(matches('_info/dateEntered > [2026-03-16T00:00:00Z]')).toBe(true);
    expect(matches('_info/dateEntered < [2026-03-16T00:00:00Z]')).toBe(false);
  });

  it('handles null and !=', () => {
    expect(matches('contact=null')).toBe(true);
    expect(matches('contact!=null')).toBe(false);
    expect(matches('board/id!=1')).toBe(true);
  });

  it('reads field names case-insensitively', () => {
    expect(readPath(ticket, ['Company', 'ID'])).toBe(19301);
    expect(matches('ClosedFlag=false')).toBe(true);
  });

  it('rejects malformed conditions with a reason', () => {
    expect(() => parseConditions('company/id=')).toThrow(ConditionsError);
    expect(() => parseConditions("identifier='x'")).toThrow(/double quotes/);
    expect(() => parseConditions('board/id in (1,2')).toThrow(ConditionsError);
    expect(() => parseConditions('(closedFlag=false')).toThrow(/missing "\)"/);
    expect(() => parseConditions('closedFlag=false extra')).toThrow(ConditionsError);
  });
});
