/**
 * ConnectWise answered 404 for the ticket itself: it does not exist, was deleted, or (on
 * cloud, reportedly) the caller may not see it. `cwMessage` is ConnectWise's own reason.
 */
export class TicketNotFoundError extends Error {
  override name = 'TicketNotFoundError';
  readonly ticketId: number;
  readonly cwMessage: string;

  constructor(ticketId: number, cwMessage: string, options: { cause?: unknown } = {}) {
    super(`Ticket #${ticketId} was not found in ConnectWise: ${cwMessage}`, { cause: options.cause });
    this.ticketId = ticketId;
    this.cwMessage = cwMessage;
  }
}
