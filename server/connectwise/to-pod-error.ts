import { ApiError } from '../http/errors/ApiError.ts';
import { BlockedAddressError } from './errors/BlockedAddressError.ts';
import { ConnectWiseHttpError } from './errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from './errors/ConnectWiseUnreachableError.ts';
import { MemberRejectedError } from './errors/MemberRejectedError.ts';

/**
 * Maps a ConnectWise client error to the pod API's error codes, or null when the error is
 * not one of ours (the caller rethrows it). Routes with more specific meanings (a 404 for a
 * ticket) check those first; this is the fallback.
 */
export function toPodError(err: unknown): ApiError | null {
  if (err instanceof MemberRejectedError) {
    return new ApiError('member_unverified', err.message, { cause: err });
  }
  if (err instanceof BlockedAddressError) {
    return new ApiError('connectwise_unreachable', `ConnectWise could not be reached: ${err.message}`, { cause: err });
  }
  if (err instanceof ConnectWiseUnreachableError && err.reason === 'circuit_open') {
    const wait = err.retryAfter ?? 20;
    return new ApiError('connectwise_unreachable', `ConnectWise is not responding. The pod server will try it again in ${wait} s.`, {
      retryAfter: wait,
      cause: err,
    });
  }
  if (err instanceof ConnectWiseUnreachableError) {
    return new ApiError('connectwise_unreachable', err.message, {
      status: err.reason === 'timeout' ? 504 : 502,
      cause: err,
    });
  }
  if (err instanceof ConnectWiseHttpError) {
    if (err.status === 429) {
      return new ApiError('rate_limited', 'ConnectWise is busy; try again shortly.', {
        retryAfter: err.retryAfter ?? 5,
        cause: err,
      });
    }
    if (err.status === 401 && err.credentials === 'member') {
      return new ApiError('member_unverified', 'ConnectWise no longer accepts the member credentials; sign in again.', {
        cause: err,
      });
    }
    if ((err.status === 401 || err.status === 403) && err.credentials === 'api-keys') {
      const why =
        err.status === 401
          ? 'ConnectWise rejected the API keys or clientId'
          : `The API member is not allowed to read ${err.endpoint}`;
      return new ApiError('connectwise_rejected_keys', `${why}: ${err.cwMessage}`, { cause: err });
    }
    if (err.status >= 500) {
      // ConnectWise's own words on a server error can be anything (a stack trace, SQL): not for the pod.
      return new ApiError('connectwise_unreachable', `ConnectWise is not responding: it answered ${err.status} for ${err.endpoint}.`, {
        ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
        cause: err,
      });
    }
    return new ApiError('connectwise_unreachable', err.message, { cause: err });
  }
  return null;
}
