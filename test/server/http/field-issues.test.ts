import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { describeIssues, fieldIssues } from '../../../server/http/field-issues.ts';
import { TenantInput } from '../../../shared/admin-api.ts';
import { FieldIssue } from '../../../shared/errors.ts';

describe('fieldIssues', () => {
  it.each([
    [['boardIds', 2], 'boardIds.2'],
    [['site'], 'site'],
    [['a', 'b', 'c'], 'a.b.c'],
    [[Symbol('key')], 'Symbol(key)'],
    [[], '(body)'],
  ] as [PropertyKey[], string][])('writes the path %j as %j', (path, expected) => {
    expect(fieldIssues([{ path, message: 'Invalid' }])).toEqual([{ path: expected, message: 'Invalid' }]);
  });

  it('keeps every issue, in order, each a valid FieldIssue', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ path: ['f', i], message: `m${i}` }));
    const fields = fieldIssues(issues);
    expect(fields.map((f) => f.path)).toEqual(issues.map((_, i) => `f.${i}`));
    for (const f of fields) expect(FieldIssue.parse(f)).toEqual(f);
  });

  it('reads the issues of a real zod/mini parse', () => {
    const result = TenantInput.safeParse({ site: '', boardIds: [1, -2], extra: true });
    expect(result.success).toBe(false);
    const paths = fieldIssues(result.error!.issues).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['site', 'boardIds.1', '(body)']));
  });

  it('reads the issues of a classic zod parse', () => {
    const schema = z.object({ tenant: z.object({ port: z.number().int() }) });
    const result = schema.safeParse({ tenant: { port: 'x' } });
    expect(fieldIssues(result.error!.issues)).toEqual([{ path: 'tenant.port', message: expect.any(String) }]);
  });
});

describe('describeIssues', () => {
  it('joins the issues into one line as "path: message"', () => {
    expect(
      describeIssues([
        { path: ['site'], message: 'Required' },
        { path: ['boardIds', 0], message: 'Too small' },
      ]),
    ).toBe('site: Required; boardIds.0: Too small');
  });

  it('names at most five issues, so a huge bad body gives a short message', () => {
    const issues = Array.from({ length: 12 }, (_, i) => ({ path: ['boardIds', i], message: 'Too small' }));
    const line = describeIssues(issues);
    expect(line.split('; ')).toHaveLength(5);
    expect(line).toContain('boardIds.4');
    expect(line).not.toContain('boardIds.5');
  });

  it('gives an empty line for no issues', () => {
    expect(describeIssues([])).toBe('');
  });
});
