import { describe, expect, it } from 'vitest';
import { Agreement, TicketAgreement } from '../../../shared/ticket-context.ts';
import { isActiveAgreement, normaliseAgreements, ticketAgreement } from '../../../server/ticket-context/normalise-agreements.ts';
import { CwAgreement, CwAgreementList, CwAgreementReference } from '../../../server/ticket-context/schemas/agreements.ts';
import { CwTicket } from '../../../server/ticket-context/schemas/ticket.ts';
import { nullFilled, richAgreements, richTicket } from './cw-fixtures.ts';

const now = new Date('2026-03-01T12:00:00Z');

describe('normaliseAgreements', () => {
  it('keeps only agreements in force: not cancelled, expired, inactive or past their end date', () => {
    const agreements = normaliseAgreements(CwAgreementList.parse(richAgreements), now);
    for (const a of agreements) expect(Agreement.parse(a)).toEqual(a);
    expect(agreements).toEqual([
      {
        id: 9,
        name: 'Managed Services',
        type: 'MSP',
        status: 'Active',
        startDate: '2025-01-01T00:00:00Z',
        endDate: undefined,
        noEndingDate: true,
      },
      {
        id: 10,
        name: 'Block Hours',
        type: 'Block',
        status: 'Active',
        startDate: '2025-01-01T00:00:00Z',
        endDate: '2099-12-31T00:00:00Z',
        noEndingDate: false,
      },
    ]);
  });

  it('reads a null-filled agreement as in force, named by its id', () => {
    const agreements = normaliseAgreements(CwAgreementList.parse([nullFilled(richAgreements[0]!)]), now);
    expect(agreements).toEqual([
      { id: 9, name: 'Agreement #9', type: undefined, status: undefined, startDate: undefined, endDate: undefined, noEndingDate: undefined },
    ]);
  });
});

describe('isActiveAgreement', () => {
  const check = (a: object) => isActiveAgreement(CwAgreement.parse({ id: 1, ...a }), now);

  it('treats an agreement with no ending date as in force even with a past endDate', () => {
    expect(check({ endDate: '2020-01-01T00:00:00Z', noEndingDateFlag: true })).toBe(true);
  });

  it('matches the status case-insensitively', () => {
    expect(check({ agreementStatus: 'EXPIRED' })).toBe(false);
    expect(check({ agreementStatus: 'Inactive' })).toBe(false);
    expect(check({ agreementStatus: 'Cancelled' })).toBe(false);
  });

  it('ignores an unreadable end date rather than hiding the agreement', () => {
    expect(check({ endDate: 'soon' })).toBe(true);
  });

  it('keeps an agreement that ends later today', () => {
    expect(check({ endDate: '2026-03-01T23:59:59Z' })).toBe(true);
  });
});

describe('ticketAgreement', () => {
  const read = (value: unknown) => ticketAgreement(CwAgreementReference.nullish().parse(value));

  it('keeps id, name and the type name of the ticket’s agreement reference', () => {
    const agreement = ticketAgreement(CwTicket.parse(richTicket).agreement);
    expect(agreement).toEqual({ id: 9, name: 'Managed Services', type: 'MSP' });
    expect(TicketAgreement.parse(agreement)).toEqual(agreement);
  });

  it('reads a reference without type or name, and blanks as absent', () => {
    expect(read({ id: 9 })).toEqual({ id: 9, name: undefined, type: undefined });
    expect(read({ id: 9, name: ' ', type: '' })).toEqual({ id: 9, name: undefined, type: undefined });
  });

  it('reads a type that is not text as absent instead of failing the ticket', () => {
    expect(read({ id: 9, name: 'Managed Services', type: { id: 1, name: 'MSP' } })).toEqual({ id: 9, name: 'Managed Services', type: undefined });
    expect(CwTicket.safeParse({ ...richTicket, agreement: { id: 9, type: 42 } }).success).toBe(true);
  });

  it('is absent when the ticket names no agreement, or one without an id', () => {
    expect(read(null)).toBeUndefined();
    expect(read(undefined)).toBeUndefined();
    expect(read({ name: 'Managed Services' })).toBeUndefined();
  });
});
