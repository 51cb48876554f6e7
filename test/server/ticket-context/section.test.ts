import { describe, expect, it } from 'vitest';
import { ConnectWiseHttpError } from '../../../server/connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from '../../../server/connectwise/errors/ConnectWiseUnreachableError.ts';
import { section, sectionErrorOf } from '../../../server/ticket-context/section.ts';

const httpError = (status: number, cwMessage: string) =>
  new ConnectWiseHttpError({ status, cwMessage, endpoint: 'finance/agreements', credentials: 'api-keys' });

describe('sectionErrorOf', () => {
  it('names a 403 forbidden and keeps ConnectWise’s message', () => {
    expect(sectionErrorOf(httpError(403, 'You do not have security permission to perform this action.'))).toEqual({
      code: 'forbidden',
      message: 'You do not have security permission to perform this action.',
    });
  });

  it('names a 404 not_found and other statuses unavailable', () => {
    expect(sectionErrorOf(httpError(404, 'Company 9 not found'))).toEqual({ code: 'not_found', message: 'Company 9 not found' });
    expect(sectionErrorOf(httpError(500, 'An unexpected error has occurred.'))).toMatchObject({ code: 'unavailable' });
    expect(sectionErrorOf(httpError(429, 'over capacity'))).toMatchObject({ code: 'unavailable' });
  });

  it('reports an unreachable ConnectWise as unavailable with the client’s explanation', () => {
    const err = new ConnectWiseUnreachableError('timeout', 'company/contacts/5');
    expect(sectionErrorOf(err)).toEqual({ code: 'unavailable', message: err.message });
  });

  it('does not turn other errors into section errors', () => {
    expect(sectionErrorOf(new TypeError('bug'))).toBeUndefined();
    expect(sectionErrorOf(new DOMException('aborted', 'AbortError'))).toBeUndefined();
  });
});

describe('section', () => {
  it('wraps data as ok', async () => {
    await expect(section(Promise.resolve([1]))).resolves.toEqual({ ok: true, data: [1] });
  });

  it('turns a ConnectWise failure into the section’s error', async () => {
    await expect(section(Promise.reject(httpError(403, 'No.')))).resolves.toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'No.' },
    });
  });

  it('lets a non-ConnectWise error through', async () => {
    await expect(section(Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
  });
});
