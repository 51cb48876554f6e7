import type { ErrorMapper } from './http/error-handler.ts';
import { ApiError } from './http/errors/ApiError.ts';
import { SessionTokenError } from './session/token.ts';
import { classifyConnectWiseFailure } from './connectwise/errors/classify-failure.ts';
import { TicketForbiddenError } from './ticket-context/errors/TicketForbiddenError.ts';
import { TicketNotFoundError } from './ticket-context/errors/TicketNotFoundError.ts';
import { DatabaseUnavailableError } from './tenants/errors/DatabaseUnavailableError.ts';

/**
 * Domain errors as the pod API's closed set of codes. Each message says what happened and
 * what to do, in plain words: the pod API answers anyone who can load a pod page, so no
 * message carries a host, an address, ConnectWise's own text or a secret. The details go to
 * the log (ApiError.logDetail) and, through the connection test, to the admin console.
 */
const sessionErrors: ErrorMapper = (err) => {
  if (!(err instanceof SessionTokenError)) return undefined;
  if (err.reason === 'wrong_tenant') return new ApiError('member_unverified', 'This pod session belongs to another ConnectWise company.');
  return new ApiError('session_expired', 'The pod session has expired; the pod signs in again through ConnectWise.');
};

// Ticket errors first: they are ConnectWise answers with a meaning for this ticket.
const ticketErrors: ErrorMapper = (err) => {
  if (err instanceof TicketNotFoundError) {
    return new ApiError('ticket_not_found', `ConnectWise has no ticket #${err.ticketId}: it may have been deleted or merged.`, {
      cause: err,
      logDetail: err.message,
    });
  }
  if (err instanceof TicketForbiddenError && err.as === 'member') {
    return new ApiError('ticket_forbidden', `ConnectWise does not let you read ticket #${err.ticketId}.`, { cause: err, logDetail: err.message });
  }
  // The API member refused the ticket: a setup problem, explained by the classifier.
  if (err instanceof TicketForbiddenError) return connectWiseErrors(err.cause) ?? undefined;
  return undefined;
};

/** Every other ConnectWise failure, through the one classifier. */
export const connectWiseErrors: ErrorMapper = (err) => {
  const failure = classifyConnectWiseFailure(err);
  if (failure === null) return undefined;
  return new ApiError(failure.code, failure.technician, {
    status: failure.status,
    retryAfter: failure.retryAfter,
    failure: failure.kind,
    logDetail: failure.admin,
    cause: err,
  });
};

/** Issue 13: the database is unreachable; the load balancer's /readyz says the same. */
export const databaseErrors: ErrorMapper = (err) =>
  err instanceof DatabaseUnavailableError
    ? new ApiError('service_unavailable', 'The pod server cannot reach its database. Try again in a moment.', { retryAfter: 5, cause: err })
    : undefined;

export const podErrorMappers: ErrorMapper[] = [databaseErrors, sessionErrors, ticketErrors, connectWiseErrors];
