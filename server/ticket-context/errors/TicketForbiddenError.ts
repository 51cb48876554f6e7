/**
 * ConnectWise answered 403 for the ticket itself. `as` says whose rights were refused: the
 * signed-in member's (memberAccess) or the API member's (loading the context).
 */
export class TicketForbiddenError extends Error {
  override name = 'TicketForbiddenError';
  readonly ticketId: number;
  readonly cwMessage: string;
  readonly as: 'member' | 'api-member';

  constructor(ticketId: number, cwMessage: string, options: { as: 'member' | 'api-member'; cause?: unknown }) {
    const who = options.as === 'member' ? 'You are' : "The pod's API member is";
    super(`${who} not allowed to read ticket #${ticketId} in ConnectWise: ${cwMessage}`, { cause: options.cause });
    this.ticketId = ticketId;
    this.cwMessage = cwMessage;
    this.as = options.as;
  }
}
