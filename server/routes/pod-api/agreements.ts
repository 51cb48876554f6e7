import type { RequestHandler } from 'express';
import { ticketRoute, type TicketRouteDeps } from './ticket-route.ts';

/**
 * GET /api/pod/:companyId/tickets/:ticketId/agreements — the company's active agreements,
 * asked for from the Agreements card. Guarded like the context: the list is the ticket's
 * company's, so only a member who may read the ticket (on an enabled board) gets it.
 */
export const ticketAgreements = (deps: TicketRouteDeps): RequestHandler =>
  ticketRoute(deps, (connection, ticketId, opts) => deps.loader.agreements(connection, ticketId, opts));
