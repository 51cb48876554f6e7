import type { Ticket, TicketAgreements, TicketContext, TicketSummary } from '../../../../shared/ticket-context.ts';

/** A ticket as the server normalises it, with every optional part filled. */
export function fullTicket(id: number, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id,
    summary: `Printer on floor ${id} jams on every job`,
    board: { id: 1, name: 'Service Desk' },
    status: { id: 2, name: 'In Progress' },
    priority: { id: 3, name: 'Priority 2 - High', color: '#e67e22' },
    type: { id: 4, name: 'Hardware' },
    agreement: { id: 50, name: 'Managed Services Gold', type: 'MSP' },
    company: { id: 10, identifier: 'ACME', name: 'Acme Corp' },
    contact: { id: 20, name: 'Dana Scully' },
    resources: ['jdoe'],
    sla: { name: 'Standard', status: 'Respond by Mon 3:00 PM', isInSla: true },
    enteredAt: '2026-11-20T09:00:00Z',
    closed: false,
    budgetHours: 4,
    initialDescription: 'The printer jams.',
    ...overrides,
  };
}

/** Only the fields the schema requires. */
export function minimalTicket(id: number): Ticket {
  return { id, summary: `Ticket ${id}`, resources: [], sla: {}, closed: false };
}

export function fullContext(id: number, fetchedAt = '2026-11-23T12:00:00Z'): TicketContext {
  return {
    ticket: fullTicket(id),
    company: {
      ok: true,
      data: {
        id: 10,
        identifier: 'ACME',
        name: 'Acme Corp',
        status: 'Active',
        types: ['Customer', 'Partner'],
        phone: '+1 (555) 010-2000',
        website: 'www.acme.example',
        address: { line1: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701', country: 'United States' },
        territory: 'North',
      },
    },
    contact: {
      ok: true,
      data: {
        id: 20,
        name: 'Dana Scully',
        title: 'Office Manager',
        inactive: false,
        phones: [
          { label: 'Direct', value: '+1 555 010 2001', extension: '12', isDefault: true },
          { label: 'Mobile', value: '555-010-2002', isDefault: false },
        ],
        emails: [{ label: 'Email', value: 'dana@acme.example', isDefault: true }],
      },
    },
    configurations: {
      ok: true,
      data: [{ id: 30, name: 'PRN-FLOOR2', type: 'Printer', status: 'Active', serialNumber: 'SN123', modelNumber: 'LJ-4000' }],
    },
    notes: {
      ok: true,
      data: {
        items: [
          {
            id: 41,
            kind: 'ticket',
            text: 'Customer says it started after the update.',
            internal: false,
            external: true,
            resolution: false,
            detailDescription: true,
            internalAnalysis: false,
            author: 'Dana Scully',
            createdAt: '2026-11-20T09:05:00Z',
          },
          {
            id: 42,
            kind: 'ticket',
            text: 'Firmware 2.1 is known to jam; roll back.',
            internal: true,
            external: false,
            resolution: false,
            detailDescription: false,
            internalAnalysis: true,
            author: 'John Doe',
            createdAt: '2026-11-21T10:00:00Z',
          },
        ],
        total: 2,
        limit: 20,
      },
    },
    time: {
      ok: true,
      data: { entries: 2, actualHours: 1.5, billableHours: 1, lastEntryAt: '2026-11-21T11:00:00Z', byMember: [{ member: 'jdoe', hours: 1.5 }] },
    },
    otherOpenTickets: {
      ok: true,
      data: [{ id: id + 1000, summary: 'Email bounces for sales', status: 'New', board: 'Service Desk', priority: 'Priority 3', enteredAt: '2026-11-22T08:00:00Z' }],
    },
    meta: { fetchedAt, fromCache: false },
  };
}

export function summaryOf(context: TicketContext): TicketSummary {
  return { ticket: context.ticket, meta: context.meta };
}

/** The company's active agreements, as the agreements endpoint answers them. */
export function companyAgreements(fetchedAt = '2026-11-23T12:00:00Z'): TicketAgreements {
  return {
    agreements: {
      ok: true,
      data: [
        { id: 50, name: 'Managed Services Gold', type: 'MSP', status: 'Active', startDate: '2026-01-01T00:00:00Z', noEndingDate: true },
        { id: 51, name: 'Project Block Hours', type: 'Block', status: 'Active', startDate: '2026-03-01T00:00:00Z', endDate: '2027-02-28T00:00:00Z' },
      ],
    },
    meta: { fetchedAt, fromCache: false },
  };
}
