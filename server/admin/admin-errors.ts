import { BlockedAddressError } from '../connectwise/errors/BlockedAddressError.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from '../connectwise/errors/ConnectWiseUnreachableError.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import { VersionConflictError } from '../tenants/errors/VersionConflictError.ts';
import { CorruptTenantError } from '../tenants/errors/CorruptTenantError.ts';
import { DatabaseUnavailableError } from '../tenants/errors/DatabaseUnavailableError.ts';
import { isTimeout } from './describe-failure.ts';

/**
 * Domain errors as the admin API answers them. ConnectWise's refusals name the endpoint and
 * point at the connection test, which says which right or key is wrong.
 */
export function toAdminError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof DatabaseUnavailableError) {
    return new ApiError('service_unavailable', 'The pod server cannot reach its database. Try again in a moment.', { retryAfter: 5, cause: err });
  }
  if (err instanceof VersionConflictError) return new ApiError('version_conflict', err.message, { cause: err });
  if (err instanceof CorruptTenantError) return new ApiError('internal_error', err.message, { cause: err });
  if (err instanceof BlockedAddressError) {
    return new ApiError('connectwise_unreachable', `ConnectWise could not be reached: ${err.message}`, { cause: err });
  }
  if (err instanceof ConnectWiseUnreachableError || isTimeout(err)) {
    const message = err instanceof ConnectWiseUnreachableError ? err.message : 'ConnectWise did not answer in time.';
    return new ApiError('connectwise_unreachable', `${message} Run the connection test for details.`, {
      status: isTimeout(err) ? 504 : 502,
      cause: err,
    });
  }
  if (err instanceof ConnectWiseHttpError) {
    if (err.status === 429) {
      return new ApiError('rate_limited', 'ConnectWise is throttling requests; try again shortly.', { retryAfter: err.retryAfter ?? 30, cause: err });
    }
    if (err.status === 401) {
      return new ApiError('connectwise_rejected_keys', 'ConnectWise rejected the API keys or clientId. Run the connection test for details.', { cause: err });
    }
    if (err.status === 403) {
      return new ApiError(
        'forbidden',
        `ConnectWise refused ${err.endpoint} (403 Forbidden): the API member's role lacks a right. Run the connection test to see which.`,
        { cause: err },
      );
    }
    return new ApiError('connectwise_unreachable', `ConnectWise answered ${err.status} for ${err.endpoint}.`, { status: 502, cause: err });
  }
  return undefined;
}
