import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  SectionError,
  TicketAgreements,
  TicketContext,
  TicketSummary,
  type Agreement,
  type Company,
  type Configuration,
  type Contact,
  type Notes,
  type OpenTicket,
  type Ticket,
  type TicketContextSection,
  type TimeSummary,
} from '../../shared/ticket-context.ts';

const minimalTicket = { id: 1234, summary: 'Printer on fire', resources: [], sla: {}, closed: false } satisfies Ticket;

const fullTicket = {
  id: 1234,
  summary: 'Printer on fire',
  recordType: 'ServiceTicket',
  board: { id: 1, name: 'Help Desk' },
  status: { id: 2, name: 'New' },
  priority: { id: 3, name: 'Priority 1', level: 'Critical', sort: 1, color: '#ff0000' },
  type: { id: 4, name: 'Hardware' },
  subType: { id: 5, name: 'Printer' },
  item: { id: 6, name: 'Toner' },
  company: { id: 7, identifier: 'Contoso', name: 'Contoso Ltd' },
  contact: { id: 8, name: 'Ann Lee' },
  contactPhone: '555-0100',
  contactEmail: 'ann@contoso.example',
  site: { id: 9, name: 'Main' },
  owner: { id: 10, identifier: 'jsmith', name: 'John Smith' },
  resources: ['jsmith', 'akhan'],
  team: { id: 11, name: 'Tier 1' },
  source: { id: 12, name: 'Email' },
  severity: 'High',
  impact: 'Medium',
  agreement: { id: 13, name: 'Managed Services', type: 'MSP' },
  sla: {
    name: 'Standard',
    status: 'Respond by Mon 11/23 3:00 PM',
    isInSla: true,
    respondBy: '2026-11-23T15:00:00Z',
    respondedAt: '2026-11-23T14:00:00Z',
    resolveBy: '2026-11-24T15:00:00Z',
    resolvedAt: '2026-11-24T10:00:00Z',
    escalationLevel: 0,
  },
  enteredAt: '2026-11-23T13:00:00Z',
  enteredBy: 'akhan',
  updatedAt: '2026-11-23T13:30:00Z',
  updatedBy: 'jsmith',
  requiredDate: '2026-11-30T00:00:00Z',
  closed: true,
  closedAt: '2026-11-24T10:00:00Z',
  closedBy: 'jsmith',
  budgetHours: 2,
  actualHours: 1.5,
  initialDescription: 'It is on fire.',
} satisfies Ticket;

const company = {
  id: 7,
  identifier: 'Contoso',
  name: 'Contoso Ltd',
  status: 'Active',
  types: ['Client'],
  phone: '555-0199',
  website: 'https://contoso.example',
  address: { line1: '1 Main St', line2: 'Suite 2', city: 'Springfield', state: 'IL', zip: '62701', country: 'United States' },
  territory: 'Central',
  deleted: false,
} satisfies Company;

const contact = {
  id: 8,
  name: 'Ann Lee',
  title: 'Office Manager',
  inactive: false,
  phones: [{ label: 'Direct', value: '555-0100', extension: '12', isDefault: true }],
  emails: [{ label: 'Email', value: 'ann@contoso.example', isDefault: true }],
} satisfies Contact;

const configurations = [
  {
    id: 20,
    name: 'PRN-01',
    type: 'Printer',
    status: 'Active',
    serialNumber: 'SN1',
    modelNumber: 'M1',
    tagNumber: 'T1',
    ipAddress: '10.0.0.5',
    osType: 'Embedded',
    lastLoginName: 'ann',
    warrantyExpiration: '2027-01-01T00:00:00Z',
    active: true,
  },
] satisfies Configuration[];

const notes = {
  items: [
    {
      id: 30,
      kind: 'ticket',
      text: 'Called the customer.',
      internal: false,
      external: true,
      resolution: false,
      detailDescription: true,
      internalAnalysis: false,
      author: 'jsmith',
      createdAt: '2026-11-23T13:10:00Z',
    },
    {
      id: 31,
      kind: 'time',
      text: 'Replaced toner.',
      internal: true,
      external: false,
      resolution: true,
      detailDescription: false,
      internalAnalysis: false,
    },
  ],
  total: 2,
  limit: 20,
} satisfies Notes;

const time = {
  entries: 1,
  actualHours: 1.5,
  billableHours: 1,
  lastEntryAt: '2026-11-23T14:00:00Z',
  byMember: [{ member: 'jsmith', hours: 1.5 }],
} satisfies TimeSummary;

const agreements = [
  { id: 13, name: 'Managed Services', type: 'MSP', status: 'Active', startDate: '2026-01-01T00:00:00Z', noEndingDate: true },
] satisfies Agreement[];

const otherOpenTickets = [
  { id: 1235, summary: 'Mouse broken', status: 'New', board: 'Help Desk', priority: 'Priority 3', enteredAt: '2026-11-22T09:00:00Z' },
] satisfies OpenTicket[];

const meta = { fetchedAt: '2026-11-23T14:05:00Z', fromCache: false };

const fullContext = {
  ticket: fullTicket,
  company: { ok: true, data: company },
  contact: { ok: true, data: contact },
  configurations: { ok: true, data: configurations },
  notes: { ok: true, data: notes },
  time: { ok: true, data: time },
  otherOpenTickets: { ok: true, data: otherOpenTickets },
  meta,
} satisfies TicketContext;

const forbidden = { ok: false, error: { code: 'forbidden', message: 'You do not have security permission to perform this action.' } } as const;

const minimalContext = {
  ticket: minimalTicket,
  company: { ok: true, data: null },
  contact: { ok: true, data: null },
  configurations: { ok: true, data: [] },
  notes: { ok: false, error: { code: 'unavailable', message: 'ConnectWise did not answer.' } },
  time: { ok: false, error: { code: 'not_found', message: 'No time entries endpoint.' } },
  otherOpenTickets: forbidden,
  meta: { fetchedAt: '2026-11-23T14:05:00Z', fromCache: true },
} satisfies TicketContext;

const sections = ['company', 'contact', 'configurations', 'notes', 'time', 'otherOpenTickets'] as const;

describe('TicketContext', () => {
  it('parses a context with every field filled, unchanged', () => {
    expect(TicketContext.parse(fullContext)).toEqual(fullContext);
  });

  it('parses a minimal context: bare ticket, no company or contact, failed sections', () => {
    expect(TicketContext.parse(minimalContext)).toEqual(minimalContext);
  });

  it('carries no company agreements list (the agreements endpoint does), only the ticket’s own agreement', () => {
    const parsed = TicketContext.parse({ ...fullContext, agreements: { ok: true, data: agreements } });
    expect(parsed).not.toHaveProperty('agreements');
    expect(parsed.ticket.agreement).toEqual({ id: 13, name: 'Managed Services', type: 'MSP' });
  });

  it('lists every section in the type', () => {
    expectTypeOf<TicketContextSection>().toEqualTypeOf<(typeof sections)[number]>();
  });

  it.each(sections)('accepts an error in place of the %s section without touching the others', (name) => {
    const parsed = TicketContext.parse({ ...fullContext, [name]: forbidden });
    expect(parsed[name]).toEqual(forbidden);
    for (const other of sections.filter((s) => s !== name)) expect(parsed[other]).toEqual(fullContext[other]);
  });

  it.each([
    ['ok true with an error and no data', { ok: true, error: forbidden.error }],
    ['ok false with data and no error', { ok: false, data: company }],
    ['no ok flag', { data: company }],
    ['ok as a string', { ok: 'true', data: company }],
    ['an error code outside the set', { ok: false, error: { code: 'teapot', message: 'x' } }],
    ['an error with no message', { ok: false, error: { code: 'forbidden' } }],
    ['the data bare, without the wrapper', company],
    ['null', null],
  ])('refuses a section that is %s', (_what, section) => {
    expect(TicketContext.safeParse({ ...fullContext, company: section }).success).toBe(false);
  });

  it.each([
    ['no ticket', { ...fullContext, ticket: undefined }],
    ['a ticket without a summary', { ...fullContext, ticket: { ...minimalTicket, summary: undefined } }],
    ['a ticket without its closed flag', { ...fullContext, ticket: { ...minimalTicket, closed: undefined } }],
    ['resources as ConnectWise sends them (one string)', { ...fullContext, ticket: { ...minimalTicket, resources: 'jsmith, akhan' } }],
    ['a note of an unknown kind', { ...fullContext, notes: { ok: true, data: { ...notes, items: [{ ...notes.items[1], kind: 'email' }] } } }],
    ['no meta', { ...fullContext, meta: undefined }],
    ['a missing section', { ...fullContext, time: undefined }],
  ])('refuses %s', (_what, input) => {
    expect(TicketContext.safeParse(input).success).toBe(false);
  });

  it('types each section as data or error, never both', () => {
    expectTypeOf<TicketContext['company']>().toEqualTypeOf<
      { ok: true; data: Company | null } | { ok: false; error: SectionError }
    >();
    expectTypeOf<TicketContext['contact']>().toEqualTypeOf<
      { ok: true; data: Contact | null } | { ok: false; error: SectionError }
    >();
    expectTypeOf<TicketContext['notes']>().toEqualTypeOf<{ ok: true; data: Notes } | { ok: false; error: SectionError }>();
    expectTypeOf<SectionError['code']>().toEqualTypeOf<'forbidden' | 'not_found' | 'unavailable' | 'not_in_role'>();
    expectTypeOf<TicketContext['ticket']>().toEqualTypeOf<Ticket>();
  });

  it('narrows a section on ok', () => {
    const parsed = TicketContext.parse(minimalContext);
    const section = parsed.notes;
    if (section.ok) {
      expectTypeOf(section.data).toEqualTypeOf<Notes>();
    } else {
      expectTypeOf(section.error).toEqualTypeOf<SectionError>();
      expect(section.error.code).toBe('unavailable');
    }
  });
});

describe('TicketSummary', () => {
  it('parses the ticket alone with its meta', () => {
    const summary = { ticket: fullTicket, meta };
    expect(TicketSummary.parse(summary)).toEqual(summary);
  });

  it('refuses a summary without meta', () => {
    expect(TicketSummary.safeParse({ ticket: minimalTicket }).success).toBe(false);
  });

  it('shares the ticket type with the context', () => {
    expectTypeOf<TicketSummary['ticket']>().toEqualTypeOf<TicketContext['ticket']>();
  });
});

describe('Ticket.agreement', () => {
  it('keeps the agreement type when ConnectWise sends it, and reads without it', () => {
    expect(TicketSummary.parse({ ticket: fullTicket, meta }).ticket.agreement?.type).toBe('MSP');
    const bare = { ...minimalTicket, agreement: { id: 13 } };
    expect(TicketSummary.parse({ ticket: bare, meta }).ticket.agreement).toEqual({ id: 13 });
  });

  it('refuses an agreement reference without an id', () => {
    expect(TicketSummary.safeParse({ ticket: { ...minimalTicket, agreement: { name: 'Managed Services' } }, meta }).success).toBe(false);
  });
});

describe('TicketAgreements', () => {
  it.each([
    ['the company’s active agreements', { agreements: { ok: true, data: agreements }, meta }],
    ['an empty list (no company, or none in force)', { agreements: { ok: true, data: [] }, meta }],
    ['a section error in ConnectWise’s words', { agreements: forbidden, meta }],
  ])('parses %s, unchanged', (_what, answer) => {
    expect(TicketAgreements.parse(answer)).toEqual(answer);
  });

  it.each([
    ['the bare list', agreements],
    ['no meta', { agreements: { ok: true, data: agreements } }],
    ['the list without its section wrapper', { agreements, meta }],
    ['an agreement without a name', { agreements: { ok: true, data: [{ id: 13 }] }, meta }],
    ['an error code outside the set', { agreements: { ok: false, error: { code: 'teapot', message: 'x' } }, meta }],
  ])('refuses %s', (_what, answer) => {
    expect(TicketAgreements.safeParse(answer).success).toBe(false);
  });

  it('types the list as data or error, with the context’s meta', () => {
    expectTypeOf<TicketAgreements['agreements']>().toEqualTypeOf<
      { ok: true; data: Agreement[] } | { ok: false; error: SectionError }
    >();
    expectTypeOf<TicketAgreements['meta']>().toEqualTypeOf<TicketContext['meta']>();
  });
});
