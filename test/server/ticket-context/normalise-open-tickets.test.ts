import { describe, expect, it } from 'vitest';
import { OpenTicket } from '../../../shared/ticket-context.ts';
import { normaliseOtherOpenTickets } from '../../../server/ticket-context/normalise-open-tickets.ts';
import { CwTicketList } from '../../../server/ticket-context/schemas/ticket.ts';
import { nullFilled, richOpenTickets } from './cw-fixtures.ts';

describe('normaliseOtherOpenTickets', () => {
  it('lists the company’s open tickets without the current one, newest first', () => {
    const tickets = normaliseOtherOpenTickets(CwTicketList.parse(richOpenTickets), 1001);
    for (const t of tickets) expect(OpenTicket.parse(t)).toEqual(t);
    expect(tickets).toEqual([
      { id: 1010, summary: 'New laptop', status: 'New', board: undefined, priority: undefined, enteredAt: undefined },
      { id: 1005, summary: 'VPN slow', status: undefined, board: undefined, priority: undefined, enteredAt: undefined },
      { id: 990, summary: 'Old request', status: 'New', board: 'Help Desk', priority: 'Priority 3', enteredAt: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('caps the list', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, summary: `t${i + 1}` }));
    const tickets = normaliseOtherOpenTickets(CwTicketList.parse(many), 40, 5);
    expect(tickets.map((t) => t.id)).toEqual([39, 38, 37, 36, 35]);
  });

  it('drops a closed row that slipped through', () => {
    const tickets = normaliseOtherOpenTickets(CwTicketList.parse([{ id: 1, closedFlag: true }, { id: 2 }]), 3);
    expect(tickets.map((t) => t.id)).toEqual([2]);
  });

  it('reads null-filled rows', () => {
    const tickets = normaliseOtherOpenTickets(CwTicketList.parse(richOpenTickets.map(nullFilled)), 1001);
    expect(tickets.map((t) => t.id)).toEqual([1010, 1005, 990]);
    expect(tickets[0]).toEqual({ id: 1010, summary: '', status: undefined, board: undefined, priority: undefined, enteredAt: undefined });
  });
});
