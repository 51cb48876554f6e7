import { ApiError } from '../http/errors/ApiError.ts';
import { TicketForbiddenError } from './errors/TicketForbiddenError.ts';
import { TicketNotFoundError } from './errors/TicketNotFoundError.ts';

/**
 * Maps the loader's ticket errors to the pod API's codes, or null for anything else (the
 * ConnectWise client's own mapper comes next). A 403 for the API member is a setup problem
 * an admin fixes (its security role), not something the technician can change.
 */
export function ticketErrorToPodError(err: unknown): ApiError | null {
  if (err instanceof TicketNotFoundError) return new ApiError('ticket_not_found', err.message, { cause: err });
  if (err instanceof TicketForbiddenError) {
    return err.as === 'member'
      ? new ApiError('ticket_forbidden', err.message, { cause: err })
      : new ApiError('connectwise_rejected_keys', err.message, { cause: err });
  }
  return null;
}
