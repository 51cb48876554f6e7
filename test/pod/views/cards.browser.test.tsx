import { signal } from '@preact/signals';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { AgreementsLoad } from '../../../pod/app/pod-state.ts';
import { AgreementsCard } from '../../../pod/views/agreements-card.tsx';
import { CompanyCard } from '../../../pod/views/company-card.tsx';
import { ConfigurationsCard } from '../../../pod/views/configurations-card.tsx';
import { ContactCard } from '../../../pod/views/contact-card.tsx';
import { NotesCard } from '../../../pod/views/notes-card.tsx';
import { OtherTicketsCard } from '../../../pod/views/other-tickets-card.tsx';
import { TimeCard } from '../../../pod/views/time-card.tsx';
import { companyAgreements, fullContext, fullTicket } from '../app/support/ticket-fixtures.ts';
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

  it('time card sums hours against the budget', () => {
    const time = mount(<TimeCard section={context.time} budgetHours={4} />);
    expect(time.textContent).toContain('1.5 h of 4 h budget');
    expect(time.textContent).toContain('jdoe');
    const none = mount(<TimeCard section={{ ok: true, data: { entries: 0, actualHours: 0, billableHours: 0, byMember: [] } }} />);
    expect(none.textContent).toContain('No time entered');
  });

  it('a failed section says why in one line, keeping ConnectWise’s reason', () => {
    const denied = { ok: false as const, error: { code: 'forbidden' as const, message: 'ConnectWise says you do not have security permission to view contacts.' } };
    const el = mount(<ContactCard section={denied} />);
    expect(el.querySelector('[data-testid="card-contact-error"]')?.textContent).toBe(
      'Contact hidden: ConnectWise says you do not have security permission to view contacts.',
    );
    const down = mount(<NotesCard section={{ ok: false, error: { code: 'unavailable', message: 'ConnectWise timed out.' } }} />);
    expect(down.textContent).toContain('Notes could not be loaded: ConnectWise timed out.');
  });

  it('a section the technician’s role does not include says so, with no data and no "hidden:" prefix', () => {
    const message = 'Your ConnectWise role does not include time entries (Time & Expense › Time Entry, Inquire).';
    const el = mount(<TimeCard section={{ ok: false, error: { code: 'not_in_role', message } }} budgetHours={4} />);
    const line = el.querySelector('[data-testid="card-time-error"]')!;
    expect(line.textContent).toBe(message);
    expect(line.getAttribute('data-code')).toBe('not_in_role');
    expect(el.textContent).not.toContain('budget');
  });

  it('opening another open ticket asks ConnectWise to open it', async () => {
    const onOpen = vi.fn();
    mount(<OtherTicketsCard section={context.otherOpenTickets} onOpen={onOpen} />);
    await userEvent.click(page.getByRole('button', { name: /#1101 Email bounces/ }));
    expect(onOpen).toHaveBeenCalledWith(1101);
  });
});

describe('agreements card', () => {
  const ticket = fullTicket(101);
  const idle: AgreementsLoad = { status: 'idle' };
  /** The card as the ticket view renders it, fed from a signal the test moves on like the controller would. */
  function setup(options: { load?: AgreementsLoad; ticket?: typeof ticket } = {}) {
    const load = signal<AgreementsLoad>(options.load ?? idle);
    const onLoad = vi.fn(() => {
      load.value = { status: 'loading', ticketId: 101, shown: null };
    });
    const Card = () => <AgreementsCard ticket={options.ticket ?? ticket} load={load.value} onLoad={onLoad} />;
    const el = mount(<Card />);
    return { el, load, onLoad, toggle: () => page.getByTestId('agreements-toggle') };
  }
  const textOf = (el: HTMLElement, id: string) => el.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';

  it('shows the ticket’s own agreement at once, and the company’s list only behind its button', () => {
    const { el, onLoad } = setup();
    expect(textOf(el, 'ticket-agreement')).toBe('This ticket: Managed Services Gold · MSP');
    const button = el.querySelector<HTMLButtonElement>('[data-testid="agreements-toggle"]')!;
    expect(button.textContent).toBe("Show the company's active agreements");
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-controls')).toBe('agreements-company');
    expect(el.querySelector('#agreements-company')?.textContent).toBe('');
    expect(onLoad).not.toHaveBeenCalled();
  });

  it('says when the ticket has no agreement, and offers no list for a ticket without a company', () => {
    const { el } = setup({ ticket: { ...ticket, agreement: undefined, company: undefined } });
    expect(textOf(el, 'ticket-agreement')).toBe('No agreement on this ticket.');
    expect(el.querySelector('[data-testid="agreements-toggle"]')).toBeNull();
    const unnamed = setup({ ticket: { ...ticket, agreement: { id: 77 } } });
    expect(textOf(unnamed.el, 'ticket-agreement')).toBe('This ticket: Agreement #77');
  });

  it('loads from the keyboard, announces the wait, then lists the agreements with their dates; focus stays on the button', async () => {
    const { el, load, onLoad, toggle } = setup();
    (document.activeElement as HTMLElement | null)?.blur();
    // The card's fold control comes first (issue 12), then the list's button.
    await userEvent.tab();
    expect(document.activeElement?.getAttribute('data-testid')).toBe('card-agreements-toggle');
    await userEvent.tab();
    expect(document.activeElement?.getAttribute('data-testid')).toBe('agreements-toggle');
    await userEvent.keyboard('{Enter}');
    expect(onLoad).toHaveBeenCalledTimes(1);
    await expect.element(toggle()).toHaveAttribute('aria-busy', 'true');
    await expect.element(toggle()).toHaveAttribute('aria-expanded', 'true');
    const region = el.querySelector('#agreements-company')!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe("Loading the company's active agreements…");

    load.value = { status: 'loaded', ticketId: 101, answer: companyAgreements() };
    await expect.element(toggle()).toHaveAttribute('aria-busy', 'false');
    const list = page.getByRole('list', { name: "Company's agreements (2 active)" });
    await expect.element(list).toBeVisible();
    expect(list.element().textContent).toContain('Managed Services Gold · MSPActive');
    expect(list.element().textContent).toContain('no end date');
    expect(list.element().textContent).toContain('Project Block Hours');
    expect(toggle().element().textContent).toBe("Hide the company's active agreements");
    expect(document.activeElement).toBe(toggle().element());

    await userEvent.keyboard('{Enter}');
    await expect.element(toggle()).toHaveAttribute('aria-expanded', 'false');
    expect(region.textContent).toBe('');
    await userEvent.keyboard('{Enter}');
    await expect.element(list).toBeVisible();
    expect(onLoad).toHaveBeenCalledTimes(1);
  });

  it('keeps the list on screen, marked busy, while a refresh re-reads it', async () => {
    const { el, load, toggle } = setup({ load: { status: 'loaded', ticketId: 101, answer: companyAgreements() } });
    await userEvent.click(toggle());
    load.value = { status: 'loading', ticketId: 101, shown: companyAgreements() };
    await expect.element(toggle()).toHaveAttribute('aria-busy', 'true');
    expect(el.querySelector('#agreements-company')?.getAttribute('aria-busy')).toBe('true');
    expect(el.querySelector('#agreements-company')?.textContent).toContain('Managed Services Gold');
  });

  it('shows a list ConnectWise refused in its words, and an empty one as such', async () => {
    const { el, load, toggle } = setup();
    await userEvent.click(toggle());
    load.value = { status: 'loaded', ticketId: 101, answer: { ...companyAgreements(), agreements: forbidden } };
    await expect.poll(() => textOf(el, 'agreements-company-error')).toBe(
      "Company's agreements hidden: ConnectWise says you do not have security permission to view agreements.",
    );
    expect(textOf(el, 'ticket-agreement')).toContain('Managed Services Gold');
    load.value = { status: 'loaded', ticketId: 101, answer: { ...companyAgreements(), agreements: { ok: true, data: [] } } };
    await expect.poll(() => el.querySelector('#agreements-company')?.textContent).toBe('No active agreements for this company.');
  });

  it('explains a failed request, and the button asks again', async () => {
    const { el, load, onLoad, toggle } = setup();
    await userEvent.click(toggle());
    load.value = { status: 'failed', ticketId: 101, failure: { code: 'rate_limited', retryAfter: 30, detail: 'Slow down.' } };
    await expect.poll(() => textOf(el, 'agreements-company-error')).toBe(
      "Company's agreements could not be loaded: Too many requests. ConnectWise asked the pod to slow down. Wait 30 s, then retry.",
    );
    expect(el.querySelector('#agreements-company')?.textContent).toContain('Details: Slow down.');
    await expect.element(toggle()).toHaveAttribute('aria-expanded', 'false');
    expect(toggle().element().textContent).toBe("Show the company's active agreements");
    await userEvent.click(toggle());
    expect(onLoad).toHaveBeenCalledTimes(2);
  });

  it('never shows a list loaded for another ticket', async () => {
    const { el, toggle } = setup({ load: { status: 'loaded', ticketId: 202, answer: companyAgreements() } });
    expect(toggle().element().getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(toggle());
    expect(el.querySelector('#agreements-company')?.textContent).not.toContain('Managed Services Gold');
  });
});
