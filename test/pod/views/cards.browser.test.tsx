import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { AgreementsCard } from '../../../pod/views/agreements-card.tsx';
import { CompanyCard } from '../../../pod/views/company-card.tsx';
import { ConfigurationsCard } from '../../../pod/views/configurations-card.tsx';
import { ContactCard } from '../../../pod/views/contact-card.tsx';
import { NotesCard } from '../../../pod/views/notes-card.tsx';
import { OtherTicketsCard } from '../../../pod/views/other-tickets-card.tsx';
import { TimeCard } from '../../../pod/views/time-card.tsx';
import { fullContext } from '../app/support/ticket-fixtures.ts';
import { mount, unmountAll } from './support/mount.tsx';

afterEach(unmountAll);
const context = fullContext(101);
const forbidden = { ok: false as const, error: { code: 'forbidden' as const, message: 'ConnectWise says you do not have security permission to view agreements.' } };

describe('ticket cards', () => {
  it('company card shows name, identifier, status, types, phone, website, address and territory', () => {
    const el = mount(<CompanyCard section={context.company} />);
    const card = el.querySelector('[data-testid="card-company"]')!;
    for (const text of ['Acme Corp', 'ACME', 'Active', 'Customer, Partner', '1 Main St', 'Springfield IL 62701', 'North']) {
      expect(card.textContent).toContain(text);
    }
    expect(card.querySelector('a[href^="tel:"]')?.getAttribute('href')).toBe('tel:+15550102000');
    const website = card.querySelector('a[target="_blank"]')!;
    expect(website.getAttribute('href')).toBe('https://www.acme.example/');
    expect(website.getAttribute('rel')).toContain('noopener');
  });

  it('company card copes with a bare company and with no company', () => {
    const el = mount(<CompanyCard section={{ ok: true, data: { id: 9, types: [] } }} />);
    expect(el.textContent).toContain('Company 9');
    expect(el.querySelectorAll('dt')).toHaveLength(0);
    const none = mount(<CompanyCard section={{ ok: true, data: null }} />);
    expect(none.textContent).toContain('This ticket has no company.');
  });

  it('company card refuses a javascript: website as a link', () => {
    const el = mount(<CompanyCard section={{ ok: true, data: { id: 9, types: [], website: 'javascript:alert(1)' } }} />);
    expect(el.querySelector('a')).toBeNull();
    expect(el.textContent).toContain('javascript:alert(1)');
  });

  it('contact card links phones with tel: (with extension) and emails with mailto:', () => {
    const el = mount(<ContactCard section={context.contact} />);
    const hrefs = [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['tel:+15550102001;ext=12', 'tel:5550102002', 'mailto:dana@acme.example']);
    expect(el.textContent).toContain('Office Manager');
    expect(el.textContent).not.toContain('Inactive');
  });

  it('contact card flags an inactive contact and one without channels', () => {
    const el = mount(<ContactCard section={{ ok: true, data: { id: 1, name: 'Old Contact', inactive: true, phones: [], emails: [] } }} />);
    expect(el.textContent).toContain('Inactive');
    expect(el.textContent).toContain('No phone or email on file.');
  });

  it('configurations card lists name, type, status, serial and model', () => {
    const el = mount(<ConfigurationsCard section={context.configurations} />);
    for (const text of ['PRN-FLOOR2', 'Printer', 'Active', 'S/N SN123', 'Model LJ-4000']) expect(el.textContent).toContain(text);
    const empty = mount(<ConfigurationsCard section={{ ok: true, data: [] }} />);
    expect(empty.textContent).toContain('No configurations attached.');
  });

  it('notes card shows newest first and marks internal notes', () => {
    const el = mount(<NotesCard section={context.notes} />);
    const notes = [...el.querySelectorAll('[data-testid="note"]')];
    expect(notes.map((n) => n.querySelector('.note-author')?.textContent)).toEqual(['John Doe', 'Dana Scully']);
    expect(notes[0]?.textContent).toContain('Internal');
    expect(notes[1]?.textContent).not.toContain('Internal');
    expect(notes[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-21T10:00:00Z');
  });

  it('notes card says how many of the notes it shows', () => {
    const data = context.notes.ok ? context.notes.data : null;
    const el = mount(<NotesCard section={{ ok: true, data: { ...data!, total: 57 } }} />);
    expect(el.querySelector('.card-aside')?.textContent).toBe('2 of 57');
  });

  it('time card sums hours against the budget; agreements card lists dates', () => {
    const time = mount(<TimeCard section={context.time} budgetHours={4} />);
    expect(time.textContent).toContain('1.5 h of 4 h budget');
    expect(time.textContent).toContain('jdoe');
    const none = mount(<TimeCard section={{ ok: true, data: { entries: 0, actualHours: 0, billableHours: 0, byMember: [] } }} />);
    expect(none.textContent).toContain('No time entered');
    const agreements = mount(<AgreementsCard section={context.agreements} />);
    expect(agreements.textContent).toContain('Managed Services Gold');
    expect(agreements.textContent).toContain('no end date');
  });

  it('a failed section says why in one line, keeping ConnectWise’s reason', () => {
    const el = mount(<AgreementsCard section={forbidden} />);
    expect(el.querySelector('[data-testid="card-agreements-error"]')?.textContent).toBe(
      'Agreements hidden: ConnectWise says you do not have security permission to view agreements.',
    );
    const down = mount(<NotesCard section={{ ok: false, error: { code: 'unavailable', message: 'ConnectWise timed out.' } }} />);
    expect(down.textContent).toContain('Notes could not be loaded: ConnectWise timed out.');
  });

  it('opening another open ticket asks ConnectWise to open it', async () => {
    const onOpen = vi.fn();
    mount(<OtherTicketsCard section={context.otherOpenTickets} onOpen={onOpen} />);
    await userEvent.click(page.getByRole('button', { name: /#1101 Email bounces/ }));
    expect(onOpen).toHaveBeenCalledWith(1101);
  });
});
