import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { OpenTicket, Ticket, TicketContext } from '../../../shared/ticket-context.ts';
import { AgreementsCard, coverageOf, limitText } from '../../../pod/views/agreements-card.tsx';
import { resetCardLayout } from '../../../pod/views/card-layout.ts';
import { CompanyCard } from '../../../pod/views/company-card.tsx';
import { ConfigurationsCard } from '../../../pod/views/configurations-card.tsx';
import { ContactCard } from '../../../pod/views/contact-card.tsx';
import { OtherTicketsCard } from '../../../pod/views/other-tickets-card.tsx';
import { TicketHeader } from '../../../pod/views/ticket-header.tsx';
import { TicketView } from '../../../pod/views/ticket-view.tsx';
import { byUrgency, formatSpan, readSla, slaDue } from '../../../pod/views/urgency.ts';
import '../../../pod/styles/base.css';
import '../../../pod/styles/layout.css';
import { fullContext, fullTicket } from '../app/support/ticket-fixtures.ts';
import { mount, unmountAll } from './support/mount.tsx';

// Issue 12: every triage signal, rendered in Chromium.

const now = Date.parse('2026-11-23T12:00:00Z');
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
const hour = 3_600_000;
const minute = 60_000;

beforeEach(() => resetCardLayout());
afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

function header(overrides: Partial<Ticket>) {
  return mount(<TicketHeader ticket={fullTicket(7, overrides)} refreshing={false} onRefresh={() => {}} now={now} />);
}
const sla = (el: HTMLElement) => el.querySelector<HTMLElement>('[data-testid="ticket-sla"]');

describe('urgency in the header', () => {
  it('an overdue SLA reads "overdue by 3 h" in the alert colour, with the absolute time as a tooltip on focus', async () => {
    const el = header({ sla: { status: `Resolve by ${iso(-3 * hour)}`, isInSla: false } });
    const chip = sla(el)!;
    expect(chip.dataset['sla']).toBe('overdue');
    expect(chip.className).toContain('chip-alert');
    expect(chip.querySelector('.tip-host')?.textContent).toBe('Resolve overdue by 3 h');
    const tip = chip.querySelector('[role="tooltip"]')!;
    expect(tip.getAttribute('datetime')).toBe(iso(-3 * hour));
    expect(tip.textContent).toMatch(/^Resolve by /);
    expect(getComputedStyle(tip).display).toBe('none');
    (chip.querySelector('.tip-host') as HTMLElement).focus();
    expect(getComputedStyle(tip).display).toBe('block');
    expect(chip.querySelector('.tip-host')?.getAttribute('aria-describedby')).toBe(tip.id);
  });

  it('a due-soon SLA reads "due in 2 h 10 min" and is marked, a far one is plain', () => {
    const soon = sla(header({ sla: { status: `Respond by ${iso(1 * hour + 50 * minute)}`, isInSla: true } }))!;
    expect(soon.dataset['sla']).toBe('soon');
    expect(soon.querySelector('.tip-host')?.textContent).toBe('Respond due in 1 h 50 min');
    const far = sla(header({ sla: { status: `Plan by ${iso(26 * hour)}` } }))!;
    expect(far.dataset['sla']).toBe('ok');
    expect(far.querySelector('.tip-host')?.textContent).toBe('Plan due in 1 d 2 h');
  });

  it('reads ConnectWise’s own "Mon 11/23 3:00 PM" form in the technician’s zone', () => {
    const due = slaDue('Respond by Mon 11/23 3:00 PM', now)!;
    expect(due.stage).toBe('respond');
    expect([due.at.getFullYear(), due.at.getMonth(), due.at.getDate(), due.at.getHours(), due.at.getMinutes()]).toEqual([2026, 10, 23, 15, 0]);
    expect(slaDue('Resolved', now)).toBeNull();
    expect(slaDue('Waiting', now)).toBeNull();
    expect(formatSpan(2 * hour + 10 * minute)).toBe('2 h 10 min');
  });

  it('no SLA: no chip; an SLA missed without a date says so; a closed ticket shows none', () => {
    expect(sla(header({ sla: {} }))).toBeNull();
    const missed = sla(header({ sla: { status: 'Waiting', isInSla: false } }))!;
    expect(missed.dataset['sla']).toBe('missed');
    expect(missed.textContent).toBe('SLA missed: Waiting');
    expect(sla(header({ closed: true, sla: { status: `Resolve by ${iso(-hour)}`, isInSla: false } }))).toBeNull();
  });

  it('shows the priority in ConnectWise’s colour, marks a P1, and the age relative', () => {
    const el = header({
      priority: { id: 1, name: 'Priority 1 - Emergency Response', sort: 1, color: '#D0021B' },
      enteredAt: iso(-2 * hour),
    });
    const chip = el.querySelector<HTMLElement>('[data-testid="ticket-priority"]')!;
    expect(chip.className).toContain('chip-top');
    expect(chip.style.borderLeftColor).toBe('rgb(208, 2, 27)');
    expect(chip.querySelector<HTMLElement>('.priority-dot')!.style.backgroundColor).toBe('rgb(208, 2, 27)');
    expect(el.querySelector('[data-testid="ticket-age"] .tip-host')?.textContent).toBe('Entered 2 h ago');
    const plain = header({ priority: { id: 3, name: 'Priority 3' }, enteredAt: undefined });
    expect(plain.querySelector('[data-testid="ticket-priority"]')!.className).not.toContain('chip-top');
    expect(plain.querySelector('.priority-dot')).toBeNull();
    expect(plain.querySelector('[data-testid="ticket-age"]')).toBeNull();
  });
});

function withCompany(context: TicketContext, flags: NonNullable<Extract<TicketContext['company'], { ok: true }>['data']>['statusFlags'], status = 'Credit Hold'): TicketContext {
  const company = context.company.ok ? context.company.data! : null;
  return { ...context, company: { ok: true, data: { ...company!, status, statusFlags: flags } } };
}

function view(context: TicketContext) {
  return mount(
    <div style={{ height: '900px', width: '400px', display: 'flex', flexDirection: 'column' }} class="pod">
      <TicketView
        ticket={context.ticket}
        context={context}
        stale={null}
        refreshing={false}
        agreements={{ status: 'idle' }}
        onRefresh={() => {}}
        onRetry={() => {}}
        onOpenTicket={() => {}}
        onLoadAgreements={() => {}}
        now={now}
      />
    </div>,
  );
}

describe('company status alert', () => {
  it('shows a notifying status’s message at the top, before the ticket header', () => {
    const el = view(withCompany(fullContext(5), { notify: true, message: 'Credit hold: call accounting.', inactive: false, notApproved: false }));
    const alert = el.querySelector('[data-testid="company-status-alert"]')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('Acme Corp: Credit Hold');
    expect(el.querySelector('[data-testid="company-status-message"]')?.textContent).toBe('Credit hold: call accounting.');
    const headerEl = el.querySelector('[data-testid="ticket-header"]')!;
    expect(alert.compareDocumentPosition(headerEl) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('marks inactive and not-approved statuses, and says nothing for a plain one', () => {
    const inactive = view(withCompany(fullContext(5), { notify: false, inactive: true, notApproved: false }, 'Inactive'));
    expect(inactive.querySelector('[data-testid="company-status-alert"]')?.textContent).toContain('inactive');
    expect(inactive.querySelector('[data-testid="company-status-message"]')).toBeNull();
    unmountAll();
    const notApproved = view(withCompany(fullContext(5), { notify: false, inactive: false, notApproved: true }, 'Not-Approved'));
    expect(notApproved.querySelector('[data-testid="company-status-alert"]')?.textContent).toContain('not approved');
    unmountAll();
    const plain = view(withCompany(fullContext(5), { notify: false, inactive: false, notApproved: false }, 'Active'));
    expect(plain.querySelector('[data-testid="company-status-alert"]')).toBeNull();
    unmountAll();
    expect(view(fullContext(5)).querySelector('[data-testid="company-status-alert"]')).toBeNull();
  });
});

describe('coverage', () => {
  const ticket = fullTicket(101);
  it.each([
    ['covered by its agreement', { billTime: 'Billable' }, 'covered', 'Covered'],
    ['billable without an agreement', { agreement: undefined, billTime: 'Billable' }, 'billable', 'Billable'],
    ['not billed', { billTime: 'NoCharge' }, 'not-billed', 'No charge'],
    ['no agreement and no billing option', { agreement: undefined, billTime: undefined }, 'unknown', 'No agreement'],
  ] as const)('%s', (_, overrides, kind, label) => {
    const el = mount(<AgreementsCard ticket={{ ...ticket, ...overrides }} load={{ status: 'idle' }} onLoad={() => {}} />);
    const badge = el.querySelector<HTMLElement>('[data-testid="coverage"]')!;
    expect(badge.dataset['coverage']).toBe(kind);
    expect(badge.textContent).toBe(label);
  });

  it('shows the agreement’s limit once the list is loaded, and billable when it excludes time', () => {
    const answer = {
      agreements: {
        ok: true as const,
        data: [{ id: 50, name: 'Managed Services Gold', applicationLimit: 40, applicationUnits: 'Hours', applicationCycle: 'CalendarMonth', coversTime: true }],
      },
      meta: { fetchedAt: iso(0), fromCache: false },
    };
    const el = mount(<AgreementsCard ticket={ticket} load={{ status: 'loaded', ticketId: 101, answer }} onLoad={() => {}} />);
    expect(el.querySelector('[data-testid="agreement-limit"]')?.textContent).toBe('Limit: 40 Hours per month');
    expect(limitText({ id: 1, name: 'x', unlimited: true })).toBe('Unlimited');
    expect(limitText({ id: 1, name: 'x', applicationLimit: 0 })).toBeNull();
    expect(coverageOf(ticket, { id: 50, name: 'x', coversTime: false }).kind).toBe('billable');
    const idle = mount(<AgreementsCard ticket={ticket} load={{ status: 'idle' }} onLoad={() => {}} />);
    expect(idle.querySelector('[data-testid="agreement-limit"]')).toBeNull();
  });
});

describe('people', () => {
  const contact = (phones: { value: string; extension?: string }[], vip = false): TicketContext['contact'] => ({
    ok: true,
    data: {
      id: 1,
      name: 'Maria Garcia',
      inactive: false,
      ...(vip ? { vip } : {}),
      phones: phones.map((p, i) => ({ label: 'Direct', value: p.value, extension: p.extension, isDefault: i === 0 })),
      emails: [{ label: 'Email', value: 'maria.garcia@contosodental.example', isDefault: true }],
    },
  });

  it('formats phone numbers for the company’s country, dialable, with copy buttons; marks VIPs', () => {
    const el = mount(<ContactCard section={contact([{ value: '8135550143', extension: '12' }, { value: '+44 20 7946 0958' }], true)} country="United States" />);
    const links = [...el.querySelectorAll('a[href^="tel:"]')];
    expect(links.map((a) => a.textContent)).toEqual(['(813) 555-0143 x12', '+44 20 7946 0958']);
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['tel:+18135550143;ext=12', 'tel:+442079460958']);
    expect([...el.querySelectorAll('[data-testid="copy-button"]')].map((b) => b.getAttribute('aria-label'))).toEqual([
      'Copy phone number (813) 555-0143 x12',
      'Copy phone number +44 20 7946 0958',
      'Copy e-mail address maria.garcia@contosodental.example',
    ]);
    expect(el.querySelector('[data-testid="contact-vip"]')?.textContent).toBe('VIP');
  });

  it('formats for another country, and leaves a number it cannot read as ConnectWise wrote it', () => {
    const el = mount(<ContactCard section={contact([{ value: '030 901820' }, { value: 'ask reception' }])} country="Germany" />);
    expect([...el.querySelectorAll('a[href^="tel:"]')].map((a) => a.textContent)).toEqual(['030 901820', 'ask reception']);
    expect(el.querySelector('[data-testid="contact-vip"]')).toBeNull();
  });

  it('copies with execCommand when the Clipboard API is refused (as in a cross-origin frame)', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    const exec = vi.spyOn(document, 'execCommand').mockReturnValue(true);
    mount(<ContactCard section={contact([{ value: '8135550143' }])} country="United States" />);
    await userEvent.click(page.getByRole('button', { name: 'Copy phone number (813) 555-0143' }));
    expect(exec).toHaveBeenCalledWith('copy');
    await expect.element(page.getByRole('status').filter({ hasText: 'Copied phone number' })).toBeInTheDocument();
  });

  it('the company card keeps name, status and phone in view and folds address and territory away', () => {
    const context = withCompany(fullContext(5), { notify: true, inactive: false, notApproved: false });
    const el = mount(<CompanyCard section={context.company} />);
    const details = el.querySelector<HTMLDetailsElement>('[data-testid="company-details"]')!;
    expect(details.open).toBe(false);
    expect(details.textContent).toContain('1 Main St');
    expect(details.textContent).toContain('North');
    expect(el.querySelector('.badge-alert')?.textContent).toBe('Credit Hold');
    expect(el.querySelector('a[href^="tel:"]')?.textContent).toBe('(555) 010-2000');
  });
});

describe('other open tickets', () => {
  const row = (id: number, extra: Partial<OpenTicket>): OpenTicket => ({ id, summary: `Ticket ${id}`, ...extra });
  const tickets = [
    row(1, { priority: 'Priority 3', prioritySort: 3, slaStatus: `Resolve by ${iso(5 * hour)}` }),
    row(2, { priority: 'Priority 1', prioritySort: 1, slaStatus: `Resolve by ${iso(3 * hour)}` }),
    row(3, { priority: 'Priority 3', prioritySort: 3, slaStatus: `Resolve by ${iso(-1 * hour)}`, isInSla: false }),
    row(4, { priority: 'Priority 1', prioritySort: 1, slaStatus: `Respond by ${iso(1 * hour)}` }),
    row(5, {}),
  ];

  it('sorts by priority, then the SLA due moment, and marks P1s and overdue ones', () => {
    expect(byUrgency(tickets, now).map((t) => t.id)).toEqual([4, 2, 3, 1, 5]);
    const el = mount(<OtherTicketsCard section={{ ok: true, data: tickets }} onOpen={() => {}} now={now} />);
    const rows = [...el.querySelectorAll<HTMLElement>('[data-testid="other-ticket"]')];
    expect(rows.map((r) => r.querySelector('.ticket-number')?.textContent)).toEqual(['#4', '#2', '#3', '#1', '#5']);
    expect(rows.map((r) => [r.dataset['top'] ?? '', r.dataset['overdue'] ?? ''])).toEqual([
      ['true', ''],
      ['true', ''],
      ['', 'true'],
      ['', ''],
      ['', ''],
    ]);
    expect(rows[2]!.textContent).toContain('Overdue');
    expect(readSla(tickets[0]!.slaStatus, now)?.text).toBe('due in 5 h');
  });
});

describe('first screen and layout', () => {
  it('at 400 × 900 the header, company, contact and coverage are on the first screen', () => {
    const el = view(fullContext(5));
    const frame = el.firstElementChild!.getBoundingClientRect();
    for (const id of ['ticket-header', 'card-company', 'card-contact', 'card-agreements']) {
      const box = el.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
      expect(box.bottom, id).toBeLessThanOrEqual(frame.top + 900);
    }
  });

  it('folds a card and remembers it in localStorage; a storage failure is harmless', async () => {
    view(fullContext(5));
    await userEvent.click(page.getByTestId('card-notes-toggle'));
    await expect.element(page.getByTestId('card-notes-toggle')).toHaveAttribute('aria-expanded', 'false');
    expect(JSON.parse(localStorage.getItem('cw-pod:card-layout:v1')!).collapsed).toEqual(['notes']);
    unmountAll();
    view(fullContext(6));
    await expect.element(page.getByTestId('card-notes-toggle')).toHaveAttribute('aria-expanded', 'false');
    expect(document.getElementById('card-notes-body')?.hidden).toBe(true);

    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    await userEvent.click(page.getByTestId('card-notes-toggle'));
    await expect.element(page.getByTestId('card-notes-toggle')).toHaveAttribute('aria-expanded', 'true');
  });

  it('moves a card and keeps the order', async () => {
    view(fullContext(5));
    const order = () => [...document.querySelectorAll('.card-slot > section')].map((s) => s.getAttribute('data-testid'));
    expect(order().slice(0, 3)).toEqual(['card-company', 'card-contact', 'card-agreements']);
    await userEvent.click(page.getByRole('button', { name: 'Move Contact up' }));
    await expect.poll(() => order().slice(0, 2)).toEqual(['card-contact', 'card-company']);
    expect(JSON.parse(localStorage.getItem('cw-pod:card-layout:v1')!).order.slice(0, 2)).toEqual(['contact', 'company']);
  });

  it.each([320, 400, 480])('nothing overflows at %i px', async (width) => {
    const context = withCompany(fullContext(5), { notify: true, message: 'Credit hold: call accounting before any billable work, extension 210.', inactive: false, notApproved: false });
    if (context.contact.ok && context.contact.data) context.contact.data.emails[0]!.value = 'a.very.long.address.for.someone@contosodental-group.example';
    const el = view(context);
    const frame = el.firstElementChild as HTMLElement;
    frame.style.width = `${width}px`;
    await expect.poll(() => frame.getBoundingClientRect().width).toBe(width);
    const offenders = [...frame.querySelectorAll<HTMLElement>('section, header, [role="alert"], li, p')].filter(
      (node) => node.scrollWidth > node.clientWidth + 1 || node.getBoundingClientRect().right > frame.getBoundingClientRect().right + 0.5,
    );
    expect(offenders.map((n) => `${n.tagName}.${n.className}: ${n.textContent?.slice(0, 40)}`)).toEqual([]);
  });
});

describe('device links', () => {
  const configurations: TicketContext['configurations'] = {
    ok: true,
    data: [
      { id: 802, name: 'CD-DC01', deviceIdentifier: 'CD DC/01', serialNumber: '7XK2LM3' },
      { id: 803, name: 'CD-FRONT-01' },
    ],
  };

  it('none by default; each template links a configuration, URL-encoded, https, in a new tab', () => {
    const plain = mount(<ConfigurationsCard section={configurations} />);
    expect(plain.querySelector('[data-testid="device-link"]')).toBeNull();
    unmountAll();
    const el = mount(
      <ConfigurationsCard
        section={configurations}
        linkTemplates={[
          { label: 'Open in RMM', url: 'https://rmm.example.com/device/{deviceIdentifier}' },
          { label: 'Warranty', url: 'https://vendor.example.com/lookup?sn={serialNumber}' },
          { label: 'Unsafe', url: 'http://rmm.example.com/{id}' },
        ]}
      />,
    );
    const links = [...el.querySelectorAll<HTMLAnchorElement>('[data-testid="device-link"]')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://rmm.example.com/device/CD%20DC%2F01',
      'https://vendor.example.com/lookup?sn=7XK2LM3',
      // The second configuration has no serial: only the RMM link, by its name.
      'https://rmm.example.com/device/CD-FRONT-01',
    ]);
    for (const a of links) {
      expect(a.target).toBe('_blank');
      expect(a.rel).toContain('noopener');
    }
    expect(links[0]!.textContent).toBe('Open in RMM for CD-DC01 (opens in a new tab)');
    expect(el.querySelectorAll('[data-testid="copy-button"]')).toHaveLength(1);
  });
});
