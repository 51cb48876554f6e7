import { classifyConnectWiseFailure } from '../connectwise/errors/classify-failure.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import { VersionConflictError } from '../tenants/errors/VersionConflictError.ts';
import { CorruptTenantError } from '../tenants/errors/CorruptTenantError.ts';
import { DatabaseUnavailableError } from '../tenants/errors/DatabaseUnavailableError.ts';

/**
 * Domain errors as the admin API answers them. ConnectWise failures come from the one
 * classifier, in the admin's words (host, endpoint, ConnectWise's own, the fix), with the
 * same code and wait the pod API gives; the connection test says more.
 */
export function toAdminError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof DatabaseUnavailableError) {
    return new ApiError('service_unavailable', 'The pod server cannot reach its database. Try again in a moment.', { retryAfter: 5, cause: err });
  }
  if (err instanceof VersionConflictError) return new ApiError('version_conflict', err.message, { cause: err });
  if (err instanceof CorruptTenantError) return new ApiError('internal_error', err.message, { cause: err });
  const failure = classifyConnectWiseFailure(err);
  if (failure !== null) {
    return new ApiError(failure.code, `${failure.admin} ${failure.fix}`, {
      status: failure.status,
      retryAfter: failure.retryAfter,
      failure: failure.kind,
      cause: err,
    });
  }
  return undefined;
}
