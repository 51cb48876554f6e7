import type { ErrorMapper } from './http/error-handler.ts';
import { ApiError } from './http/errors/ApiError.ts';
import { SessionTokenError } from './session/token.ts';
import { toPodError } from './connectwise/to-pod-error.ts';
import { ticketErrorToPodError } from './ticket-context/to-pod-error.ts';
import { DatabaseUnavailableError } from './tenants/errors/DatabaseUnavailableError.ts';

/**
 * Domain errors as the pod API's closed set of codes. Each message says what happened and
 * what to do; none carries a secret or an upstream body.
 */
const sessionErrors: ErrorMapper = (err) => {
  if (!(err instanceof SessionTokenError)) return undefined;
  if (err.reason === 'wrong_tenant') return new ApiError('member_unverified', 'This pod session belongs to another ConnectWise company.');
  return new ApiError('session_expired', 'The pod session has expired; the pod signs in again through ConnectWise.');
};

/** Issue 13: the database is unreachable; the load balancer's /readyz says the same. */
export const databaseErrors: ErrorMapper = (err) =>
  err instanceof DatabaseUnavailableError
    ? new ApiError('service_unavailable', 'The pod server cannot reach its database. Try again in a moment.', { retryAfter: 5, cause: err })
    : undefined;

export const podErrorMappers: ErrorMapper[] = [
  databaseErrors,
  sessionErrors,
  // Ticket errors first: they are ConnectWise answers with a meaning for this ticket.
  (err) => ticketErrorToPodError(err) ?? undefined,
  (err) => toPodError(err) ?? undefined,
];
