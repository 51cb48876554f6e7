import { describe, expect, it } from 'vitest';
import { BlockedAddressError } from '../../../server/connectwise/errors/BlockedAddressError.ts';
import { ConnectWiseHttpError } from '../../../server/connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from '../../../server/connectwise/errors/ConnectWiseUnreachableError.ts';
import { MemberRejectedError } from '../../../server/connectwise/errors/MemberRejectedError.ts';
import { toPodError } from '../../../server/connectwise/to-pod-error.ts';

const http = (status: number, credentials: 'api-keys' | 'member', retryAfter?: number) =>
  new ConnectWiseHttpError({ status, cwMessage: 'ConnectWise says no', endpoint: 'system/info', credentials, retryAfter });

describe('toPodError', () => {
  it('maps a timeout to connectwise_unreachable with 504 and other failures to 502', () => {
    expect(toPodError(new ConnectWiseUnreachableError('timeout', 'system/info'))).toMatchObject({
      code: 'connectwise_unreachable',
      status: 504,
    });
    expect(toPodError(new ConnectWiseUnreachableError('not_json', 'system/info'))).toMatchObject({
      code: 'connectwise_unreachable',
      status: 502,
    });
    expect(toPodError(http(500, 'api-keys'))).toMatchObject({ code: 'connectwise_unreachable', status: 502 });
  });

  it('blames the API keys for a 401 with the keys, keeping ConnectWise\'s message', () => {
    const err = toPodError(http(401, 'api-keys'));
    expect(err).toMatchObject({ code: 'connectwise_rejected_keys', status: 502 });
    expect(err?.message).toContain('ConnectWise says no');
  });

  it('asks the member to sign in again for a 401 with member credentials or a rejected member', () => {
    expect(toPodError(http(401, 'member'))).toMatchObject({ code: 'member_unverified', status: 401 });
    expect(toPodError(new MemberRejectedError('credentials_rejected'))).toMatchObject({ code: 'member_unverified' });
  });

  it('passes ConnectWise\'s Retry-After on as rate_limited', () => {
    expect(toPodError(http(429, 'api-keys', 7))).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 7 });
  });

  it('explains a blocked address without jargon', () => {
    const err = toPodError(new BlockedAddressError({ host: 'na.example.com', address: '127.0.0.1', kind: 'loopback' }));
    expect(err).toMatchObject({ code: 'connectwise_unreachable' });
    expect(err?.message).toContain('na.example.com resolves to 127.0.0.1, a loopback address');
  });

  it('returns null for errors that are not the ConnectWise client\'s', () => {
    expect(toPodError(new Error('boom'))).toBeNull();
  });
});
