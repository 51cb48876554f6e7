import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiErrorBody,
  ApiErrorCode,
  PodErrorCode,
  adminErrorCodes,
  podErrorCodes,
  statusForErrorCode,
  type FieldIssue,
} from '../../shared/errors.ts';

describe('error codes', () => {
  it.each(ApiErrorCode.options)('%s is answered with a 4xx or 5xx status', (code) => {
    const status = statusForErrorCode[code];
    expect(Number.isInteger(status)).toBe(true);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
  });

  it('has a status for every code and for nothing else', () => {
    expect(Object.keys(statusForErrorCode).sort()).toEqual([...ApiErrorCode.options].sort());
  });

  it('keeps the pod codes a subset of all codes, with no code in both sets', () => {
    for (const code of podErrorCodes) expect(ApiErrorCode.options).toContain(code);
    expect(podErrorCodes.filter((c) => (adminErrorCodes as readonly string[]).includes(c))).toEqual([]);
    expect(ApiErrorCode.options).toHaveLength(podErrorCodes.length + adminErrorCodes.length);
    expectTypeOf<PodErrorCode>().toExtend<ApiErrorCode>();
  });

  it.each([
    ['member_unverified', 401],
    ['session_expired', 401],
    ['ticket_not_found', 404],
    ['ticket_forbidden', 403],
    ['rate_limited', 429],
    ['bad_request', 400],
    ['validation_failed', 422],
    ['version_conflict', 409],
    ['payload_too_large', 413],
    ['internal_error', 500],
  ] as const)('answers %s with %d', (code, status) => {
    expect(statusForErrorCode[code]).toBe(status);
  });

  it.each(adminErrorCodes)('refuses the admin code %s as a pod code', (code) => {
    expect(PodErrorCode.safeParse(code).success).toBe(false);
  });
});

describe('ApiErrorBody', () => {
  it.each([
    ['code and message only', { error: { code: 'ticket_not_found', message: 'No ticket 12.' } }],
    ['a retry delay', { error: { code: 'rate_limited', message: 'Slow down.', retryAfter: 30 } }],
    [
      'field issues and a request id',
      {
        error: {
          code: 'validation_failed',
          message: 'boardIds.2: Too small',
          fields: [{ path: 'boardIds.2', message: 'Too small' }],
          requestId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        },
      },
    ],
  ])('accepts a body with %s', (_what, body) => {
    expect(ApiErrorBody.parse(body)).toEqual(body);
  });

  it.each([
    ['an unknown code', { error: { code: 'oops', message: 'x' } }],
    ['no message', { error: { code: 'bad_request' } }],
    ['the error not wrapped', { code: 'bad_request', message: 'x' }],
    ['a retry delay as a string', { error: { code: 'rate_limited', message: 'x', retryAfter: '30' } }],
    ['a field issue without a path', { error: { code: 'validation_failed', message: 'x', fields: [{ message: 'y' }] } }],
  ])('refuses %s', (_what, body) => {
    expect(ApiErrorBody.safeParse(body).success).toBe(false);
  });

  it('has the documented shape', () => {
    expectTypeOf<ApiErrorBody>().toEqualTypeOf<{
      error: {
        code: ApiErrorCode;
        message: string;
        retryAfter?: number | undefined;
        failure?: string | undefined;
        fields?: FieldIssue[] | undefined;
        requestId?: string | undefined;
      };
    }>();
  });
});
