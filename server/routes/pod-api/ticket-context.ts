import type { RequestHandler } from 'express';
import { ticketRoute, type TicketRouteDeps } from './ticket-route.ts';

/** GET /api/pod/:companyId/tickets/:ticketId — the whole context the view shows. */
export const ticketContext = (deps: TicketRouteDeps): RequestHandler =>
  ticketRoute(deps, (connection, ticketId, opts) => deps.loader.context(connection, ticketId, opts), deps.onServed);

/** GET /api/pod/:companyId/tickets/:ticketId/summary — the ticket alone, for the header. */
export const ticketSummary = (deps: TicketRouteDeps): RequestHandler =>
  ticketRoute(deps, (connection, ticketId, opts) => deps.loader.summary(connection, ticketId, opts));
