import { describe, expect, it } from 'vitest';
import { rightsFrom, sectionRight } from '../../../server/ticket-context/member-rights.ts';
import { createWarmUpBudget } from '../../../server/ticket-context/warm-up-budget.ts';

const row = (moduleName: string, moduleFunctionName: string, inquireLevel: string, ids: { module?: string; fn?: string } = {}) => ({
  moduleIdentifier: ids.module ?? null,
  moduleName,
  moduleFunctionIdentifier: ids.fn ?? null,
  moduleFunctionName,
  inquireLevel,
});

describe('a technician’s section rights from system/mySecurity', () => {
  it('maps All, My and Mine, and None, matching rows by name', () => {
    const rows = [
      row('Service Desk', 'Service Tickets', 'All'),
      row('Time & Expense', 'Time Entry', 'Mine'),
      row('Companies', 'Contacts', 'My'),
      row('Companies', 'Configurations', 'None'),
    ];
    expect(sectionRight(rows, 'otherOpenTickets').access).toBe('all');
    expect(sectionRight(rows, 'time').access).toBe('mine');
    expect(sectionRight(rows, 'contact').access).toBe('mine');
    expect(sectionRight(rows, 'configurations')).toMatchObject({ access: 'none', permission: { id: 'configurations' } });
  });

  it('matches on identifiers where the names differ (the identifier strings are UNCONFIRMED)', () => {
    const rows = [row('Finance (renamed)', 'Agreement List', 'None', { module: 'Finance', fn: 'Agreements' })];
    expect(sectionRight(rows, 'agreements').access).toBe('none');
  });

  it('lets the most restrictive row decide where several name a section (notes set apart from tickets)', () => {
    expect(sectionRight([row('Service Desk', 'Service Tickets', 'All'), row('Service Desk', 'Service Ticket Notes', 'None')], 'notes')).toMatchObject({
      access: 'none',
      permission: { id: 'service_notes' },
    });
    // A version without a separate notes row: notes come with Service Tickets.
    expect(sectionRight([row('Service Desk', 'Service Tickets', 'All')], 'notes').access).toBe('all');
  });

  it('asks ConnectWise (reads as the member) when no row matches or mySecurity gave nothing', () => {
    expect(sectionRight([row('Sales', 'Opportunities', 'All')], 'time').access).toBe('ask');
    const unknown = rightsFrom(null, null);
    expect(unknown.source).toBe('unknown');
    expect(Object.values(unknown.sections).every((s) => s.access === 'ask')).toBe(true);
  });
});

describe('the page warm-up budget', () => {
  it('allows `perMinute` per company and window, then refuses until the next window', () => {
    const budget = createWarmUpBudget({ perMinute: 2, windowMs: 1000 });
    expect([budget.take('Demo', 0), budget.take('demo', 10), budget.take('DEMO', 20)]).toEqual([true, true, false]);
    expect(budget.take('other', 20)).toBe(true);
    expect(budget.take('demo', 1000)).toBe(true);
  });
});
