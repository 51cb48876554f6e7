import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../server/http/errors/ApiError.ts';
import { TicketForbiddenError } from '../../../server/ticket-context/errors/TicketForbiddenError.ts';
import { TicketNotFoundError } from '../../../server/ticket-context/errors/TicketNotFoundError.ts';
import { ticketErrorToPodError } from '../../../server/ticket-context/to-pod-error.ts';

describe('ticketErrorToPodError', () => {
  it('answers a missing ticket with ticket_not_found (404) and ConnectWise’s reason', () => {
    const mapped = ticketErrorToPodError(new TicketNotFoundError(42, 'Ticket Id 42 not found'));
    expect(mapped).toBeInstanceOf(ApiError);
    expect(mapped).toMatchObject({ code: 'ticket_not_found', status: 404 });
    expect(mapped?.message).toContain('Ticket Id 42 not found');
  });

  it('answers a member refused by ConnectWise with ticket_forbidden (403)', () => {
    const mapped = ticketErrorToPodError(new TicketForbiddenError(42, 'You do not have security permission to perform this action.', { as: 'member' }));
    expect(mapped).toMatchObject({ code: 'ticket_forbidden', status: 403 });
    expect(mapped?.message).toMatch(/^You are not allowed to read ticket #42/);
  });

  it('blames the API member’s role, not the technician, when the API keys are refused the ticket', () => {
    const mapped = ticketErrorToPodError(new TicketForbiddenError(42, 'No.', { as: 'api-member' }));
    expect(mapped).toMatchObject({ code: 'connectwise_rejected_keys' });
    expect(mapped?.message).toMatch(/API member/);
  });

  it('leaves other errors to the next mapper', () => {
    expect(ticketErrorToPodError(new Error('other'))).toBeNull();
  });
});
