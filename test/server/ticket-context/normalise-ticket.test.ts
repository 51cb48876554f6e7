import { describe, expect, it } from 'vitest';
import { Ticket } from '../../../shared/ticket-context.ts';
import { normaliseTicket, splitResources } from '../../../server/ticket-context/normalise-ticket.ts';
import { CwTicket } from '../../../server/ticket-context/schemas/ticket.ts';
import { nullFilled, richTicket } from './cw-fixtures.ts';

describe('splitResources', () => {
  it('splits the comma-separated member identifiers, trimming and dropping blanks', () => {
    expect(splitResources(' jsmith, bwilson,  ,admin1,')).toEqual(['jsmith', 'bwilson', 'admin1']);
  });

  it('gives no resources for null, undefined or an empty string', () => {
    expect(splitResources(null)).toEqual([]);
    expect(splitResources(undefined)).toEqual([]);
    expect(splitResources('')).toEqual([]);
  });
});

describe('normaliseTicket', () => {
  it('maps a rich ConnectWise ticket to the pod ticket', () => {
    const ticket = normaliseTicket(CwTicket.parse(richTicket));
    expect(Ticket.parse(ticket)).toEqual(ticket);
    expect(ticket).toMatchObject({
      id: 1001,
      summary: 'Printer on 2nd floor offline',
      recordType: 'ServiceTicket',
      board: { id: 1, name: 'Help Desk' },
      status: { id: 11, name: 'In Progress' },
      priority: { id: 4, name: 'Priority 2 - High', sort: 2, level: 'Priority 2 - Quick Response', color: '#ff0000' },
      company: { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation' },
      contact: { id: 77, name: 'Pat Doe' },
      contactPhone: '5551234567 x12',
      contactEmail: 'pat@acme.example',
      site: { id: 31, name: 'Main' },
      owner: { id: 148, identifier: 'jsmith', name: 'Jane Smith' },
      resources: ['jsmith', 'bwilson', 'admin1'],
      severity: 'Medium',
      impact: 'High',
      agreement: { id: 9, name: 'Managed Services', type: 'MSP' },
      sla: {
        name: 'Standard SLA',
        status: 'Resolve by Mon 03/02 5:00 PM',
        isInSla: true,
        respondedAt: '2026-03-01T09:30:00Z',
        escalationLevel: 0,
      },
      enteredAt: '2026-03-01T09:00:00Z',
      enteredBy: 'pdoe',
      updatedAt: '2026-03-01T10:00:00Z',
      updatedBy: 'jsmith',
      requiredDate: '2026-03-02T17:00:00Z',
      closed: false,
      budgetHours: 4,
      actualHours: 2.5,
      initialDescription: 'Nothing prints.',
    });
    expect(ticket.closedAt).toBeUndefined();
    expect(ticket.sla.resolvedAt).toBeUndefined();
  });

  it('reads a ticket whose every field but the id is null', () => {
    const ticket = normaliseTicket(CwTicket.parse(nullFilled(richTicket)));
    expect(Ticket.parse(ticket)).toEqual(ticket);
    expect(ticket.id).toBe(1001);
    expect(ticket.summary).toBe('');
    expect(ticket.resources).toEqual([]);
    expect(ticket.closed).toBe(false);
    expect(ticket.company).toBeUndefined();
    expect(ticket.contact).toBeUndefined();
    expect(ticket.priority).toBeUndefined();
    expect(ticket.enteredAt).toBeUndefined();
  });

  it('reads a ticket that has nothing but an id', () => {
    const ticket = normaliseTicket(CwTicket.parse({ id: 5 }));
    expect(Ticket.parse(ticket)).toEqual(ticket);
    expect(ticket).toMatchObject({ id: 5, summary: '', resources: [], closed: false, sla: {} });
  });

  it('takes the contact and site names from contactName and siteName when the references lack them', () => {
    const ticket = normaliseTicket(
      CwTicket.parse({ id: 6, contact: null, contactName: 'Walk-in', site: { id: 2 }, siteName: 'Annex' }),
    );
    expect(ticket.contact).toEqual({ id: undefined, name: 'Walk-in' });
    expect(ticket.site).toEqual({ id: 2, name: 'Annex' });
  });

  it('keeps a closed ticket closed with its closing stamps', () => {
    const ticket = normaliseTicket(
      CwTicket.parse({ id: 7, closedFlag: true, closedDate: '2026-02-01T00:00:00Z', closedBy: 'jsmith', dateResolved: '2026-02-01T00:00:00Z' }),
    );
    expect(ticket).toMatchObject({ closed: true, closedAt: '2026-02-01T00:00:00Z', closedBy: 'jsmith' });
    expect(ticket.sla.resolvedAt).toBe('2026-02-01T00:00:00Z');
  });

  it('shows a numeric priority level as text and ignores a malformed _info', () => {
    const ticket = normaliseTicket(CwTicket.parse({ id: 8, priority: { id: 1, level: 2 }, _info: 'not an object' }));
    expect(ticket.priority).toMatchObject({ id: 1, level: '2' });
    expect(ticket.enteredAt).toBeUndefined();
  });

  it('drops a reference that has no id rather than inventing one', () => {
    const ticket = normaliseTicket(CwTicket.parse({ id: 9, board: { name: 'No id' }, status: null }));
    expect(ticket.board).toBeUndefined();
    expect(ticket.status).toBeUndefined();
  });
});
