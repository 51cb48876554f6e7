import { describe, expect, it } from 'vitest';
import { conditionId, conditionIdList, conditionString } from '../../../server/ticket-context/conditions.ts';

describe('conditionId', () => {
  it('writes a record id as digits', () => {
    expect(conditionId(1001)).toBe('1001');
  });

  it('refuses anything that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => conditionId(bad)).toThrow(TypeError);
    }
  });
});

describe('conditionIdList', () => {
  it('writes an "in" list of ids without duplicates', () => {
    expect(conditionIdList([3, 1, 3, 2])).toBe('(3,1,2)');
  });

  it('refuses an empty list and a bad id in the list', () => {
    expect(() => conditionIdList([])).toThrow(TypeError);
    expect(() => conditionIdList([1, -2])).toThrow(TypeError);
  });
});

describe('conditionString', () => {
  it('double-quotes text and escapes quotes and backslashes', () => {
    expect(conditionString('ServiceTicket')).toBe('"ServiceTicket"');
    expect(conditionString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('keeps an injection attempt inside the quoted value', () => {
    expect(conditionString('x" or id>0 or name="y')).toBe('"x\\" or id>0 or name=\\"y"');
  });
});
