import { describe, expect, it } from 'vitest';
import { HostedApiClosedError } from '../../../../pod/protocol/errors/hosted-api-closed-error.ts';

describe('HostedApiClosedError', () => {
  it('names the abandoned request', () => {
    const error = new HostedApiClosedError('getMemberAuthentication');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HostedApiClosedError');
    expect(error.message).toBe('getMemberAuthentication was abandoned: the Hosted API client was closed.');
  });
});
