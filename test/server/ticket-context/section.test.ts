import { describe, expect, it } from 'vitest';
import { ConnectWiseHttpError } from '../../../server/connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from '../../../server/connectwise/errors/ConnectWiseUnreachableError.ts';
import { section, sectionErrorOf } from '../../../server/ticket-context/section.ts';

const httpError = (status: number, cwMessage: string) =>
  new ConnectWiseHttpError({ status, cwMessage, endpoint: 'finance/agreements', credentials: 'api-keys' });

describe('sectionErrorOf', () => {
  it('names a 403 forbidden in the classifier’s words, not ConnectWise’s', () => {
    const error = sectionErrorOf(httpError(403, 'You do not have security permission to perform this action.'));
    expect(error).toEqual({ code: 'forbidden', message: expect.stringMatching(/security role lacks a right/) });
  });

  it('names a 404 not_found and other statuses unavailable, never echoing ConnectWise’s text', () => {
    expect(sectionErrorOf(httpError(404, 'Company 9 not found'))).toMatchObject({ code: 'not_found' });
    expect(sectionErrorOf(httpError(404, 'Company 9 not found'))!.message).not.toContain('Company 9');
    const internal = sectionErrorOf(httpError(500, 'SqlException at db01.internal:1433'));
    expect(internal).toMatchObject({ code: 'unavailable' });
    expect(internal!.message).not.toMatch(/Sql|db01/);
    expect(sectionErrorOf(httpError(429, 'over capacity'))).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/slow down/) });
  });

  it('reports an unreachable ConnectWise as unavailable, without the endpoint', () => {
    const err = new ConnectWiseUnreachableError('timeout', 'company/contacts/5');
    expect(sectionErrorOf(err)).toEqual({ code: 'unavailable', message: 'ConnectWise did not answer in time. Wait a moment, then retry.' });
  });

  it('lets tenant-level failures through: rejected keys fail the whole view, not each card', () => {
    expect(sectionErrorOf(httpError(401, 'Authentication failed.'))).toBeUndefined();
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
    await expect(section(Promise.reject(httpError(403, 'No.')))).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets a non-ConnectWise error through', async () => {
    await expect(section(Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
  });
});
