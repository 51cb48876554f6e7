import { describe, expect, it } from 'vitest';
import { HostedApiTimeoutError } from '../../../../pod/protocol/errors/hosted-api-timeout-error.ts';
import { handshakeSteps } from '../../../../pod/protocol/types.ts';

describe('HostedApiTimeoutError', () => {
  it.each(handshakeSteps)('names the request, the wait and a distinct explanation for step %s', (step) => {
    const error = new HostedApiTimeoutError('getMemberAuthentication', step, 2_500);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HostedApiTimeoutError');
    expect(error).toMatchObject({ request: 'getMemberAuthentication', step, timeoutMs: 2_500 });
    expect(error.message).toMatch(/^No answer to getMemberAuthentication within 2500 ms: /);
    const others = handshakeSteps.filter((s) => s !== step).map((s) => new HostedApiTimeoutError('x', s, 1).message.split(': ')[1]);
    expect(others).not.toContain(error.message.split(': ')[1]);
  });
});
