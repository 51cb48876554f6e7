import { signal } from '@preact/signals';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { podErrorCodes } from '../../../shared/errors.ts';
import { createPodState, type FailureCode, type PodState } from '../../../pod/app/pod-state.ts';
import type { TicketContext } from '../../../shared/ticket-context.ts';
import type { HandshakeStatus } from '../../../pod/protocol/types.ts';
import { preloadTicketView } from '../../../pod/views/lazy-ticket-view.tsx';
import { PodApp } from '../../../pod/views/pod-app.tsx';
import { OutsideFrame } from '../../../pod/views/outside-frame.tsx';
import { companyAgreements, fullContext } from '../app/support/ticket-fixtures.ts';
import { mount, unmountAll } from './support/mount.tsx';

afterEach(unmountAll);

function setup() {
  const state = createPodState({ mode: 'connectwise', urlTicket: { kind: 'not_substituted' }, urlScreen: null });
  const controller = { retry: vi.fn(), refresh: vi.fn(), openTicket: vi.fn(), loadAgreements: vi.fn() };
  const host = {
    status: signal<HandshakeStatus>('ready_sent'),
    frameId: signal<string | null>(null),
    acceptedOrigin: signal<string | null>(null),
    stats: { accepted: 1, ignored: 3 },
  };
  mount(<PodApp state={state} controller={controller} host={host} />);
  return { state, controller, host };
}

/** What the controller does when a ticket's whole context arrives. */
function showContext(state: PodState, context: TicketContext) {
  state.ticketId.value = context.ticket.id;
  state.ticket.value = context.ticket;
  state.context.value = context;
}

const textOf = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
const stateText = () => document.querySelector('[data-testid="pod-state"]')?.textContent ?? '';

describe('pod app', () => {
  it('shows the connecting step, then the header as soon as the summary arrives, then the cards', async () => {
    await preloadTicketView();
    const { state } = setup();
    expect(stateText()).toContain('Connecting to ConnectWise');
    expect(document.querySelector('[aria-current="step"]')?.textContent).toBe('waiting for ConnectWise');
    state.step.value = 'verifying';
    await expect.element(page.getByText('verifying you')).toHaveAttribute('aria-current', 'step');

    const context = fullContext(101);
    state.ticketId.value = 101;
    state.ticket.value = context.ticket;
    await expect.element(page.getByTestId('ticket-header')).toBeVisible();
    expect(document.querySelector('[data-testid="ticket-id"]')?.textContent).toBe('#101');
    expect(document.querySelector('[data-testid="card-company"]')).toBeNull();

    state.context.value = context;
    await expect.element(page.getByTestId('card-company')).toBeVisible();
    for (const card of ['contact', 'notes', 'configurations', 'time', 'agreements', 'other-tickets']) {
      expect(document.querySelector(`[data-testid="card-${card}"]`)).not.toBeNull();
    }
  });

  it('the Agreements card shows the ticket’s agreement with the cards, and the company’s list when the controller has it', async () => {
    await preloadTicketView();
    const { state, controller } = setup();
    const context = fullContext(101);
    showContext(state, context);
    await expect.element(page.getByTestId('card-agreements')).toBeVisible();
    expect(textOf('ticket-agreement')).toBe('This ticket: Managed Services Gold · MSP');

    await userEvent.click(page.getByRole('button', { name: "Show the company's active agreements" }));
    expect(controller.loadAgreements).toHaveBeenCalledTimes(1);
    state.agreements.value = { status: 'loaded', ticketId: 101, answer: companyAgreements() };
    await expect.element(page.getByRole('list', { name: "Company's agreements (2 active)" })).toBeVisible();

    // Another ticket: the view starts over with the list closed, even if a stale list lingered.
    const next = fullContext(202);
    showContext(state, next);
    await expect.poll(() => textOf('ticket-id')).toBe('#202');
    await expect.element(page.getByTestId('agreements-toggle')).toHaveAttribute('aria-expanded', 'false');
    expect(document.querySelector('#agreements-company')?.textContent).toBe('');
  });

  it('shows the stale banner in degraded mode and the refresh control calls refresh', async () => {
    await preloadTicketView();
    const { state, controller } = setup();
    const context = fullContext(7);
    showContext(state, context);
    state.stale.value = { code: 'connectwise_unreachable' };
    await expect.poll(() => textOf('stale-banner')).toMatch(/May be out of date/);
    await userEvent.click(page.getByTestId('refresh-button'));
    expect(controller.refresh).toHaveBeenCalledTimes(1);
  });

  it('keyboard focus reaches the refresh control and the "more" toggles', async () => {
    await preloadTicketView();
    const { state } = setup();
    const context = fullContext(8);
    const long = 'Line of a long note. '.repeat(40);
    if (context.notes.ok) context.notes.data.items[0]!.text = long;
    state.ticketId.value = 8;
    state.ticket.value = { ...context.ticket, initialDescription: long };
    state.context.value = context;
    await expect.element(page.getByTestId('card-notes')).toBeVisible();
    const reached: string[] = [];
    (document.activeElement as HTMLElement | null)?.blur();
    // Each card has a fold control and two move controls (issue 12), so the toggles come later.
    for (let i = 0; i < 40; i += 1) {
      await userEvent.tab();
      const el = document.activeElement as HTMLElement;
      reached.push(el.dataset.testid ?? el.textContent ?? '');
    }
    // The ticket number's copy button, then refresh (issue 12 added the copy control).
    expect(reached.slice(0, 2)).toEqual(['copy-button', 'refresh-button']);
    expect(reached.filter((r) => r === 'more-toggle').length).toBeGreaterThanOrEqual(2);
    const toggle = page.getByTestId('more-toggle').first();
    await userEvent.click(toggle);
    await expect.element(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect.poll(() => toggle.element().textContent).toBe('less');
  });

  const codes: FailureCode[] = [...podErrorCodes, 'handshake_timeout', 'no_ticket'];
  it.each(codes)('explains the %s failure in the pod-state message', async (code) => {
    const { state, controller } = setup();
    state.ticketId.value = 42;
    state.failure.value = { code, detail: 'server said so', retryAfter: 30, step: 'framed' };
    await expect.element(page.getByTestId('pod-state')).toBeVisible();
    const text = stateText();
    // The tenant-level screen shows the server's line as its body, not as details.
    expect(text).toContain(code === 'connectwise_rejected_keys' ? 'server said so' : 'Details: server said so');
    expect(text.length).toBeGreaterThan(60);
    const retry = document.querySelector<HTMLButtonElement>('[data-testid="retry-button"]');
    if (retry) {
      retry.click();
      expect(controller.retry).toHaveBeenCalled();
    }
  });

  it('uses the exact sentences for the failures technicians meet most', async () => {
    const { state } = setup();
    state.failure.value = { code: 'member_unverified' };
    await expect.poll(() => textOf('pod-state')).toContain('ConnectWise could not confirm who you are. Sign out of ConnectWise and in again; if it persists, ask your admin to run the connection test.');
    state.failure.value = { code: 'handshake_timeout', step: 'framed' };
    await expect.poll(() => textOf('pod-state')).toMatch(/No answer from ConnectWise.*frame id received.*Manage Hosted API Origin/);
    state.failure.value = { code: 'rate_limited', retryAfter: 30 };
    await expect.poll(() => textOf('pod-state')).toMatch(/Wait 30 s/);
    await expect.element(page.getByTestId('retry-button')).toBeVisible();
    state.failure.value = { code: 'connectwise_rejected_keys' };
    await expect.poll(() => textOf('pod-state')).toMatch(/ask your pod admin/);
    expect(document.querySelector('[data-testid="retry-button"]')).toBeNull();
  });

  it('shows a tenant-level failure as one screen for the admin, the failure in one line, and no "sign in again" (issue 11 item 3)', async () => {
    const { state } = setup();
    state.ticketId.value = 42;
    state.failure.value = {
      code: 'connectwise_rejected_keys',
      detail: 'ConnectWise does not accept the pod’s API keys (they were changed, removed or mistyped).',
    };
    await expect.poll(() => textOf('pod-state')).toContain("This pod's connection to ConnectWise needs your admin");
    expect(textOf('pod-state-body')).toBe('ConnectWise does not accept the pod’s API keys (they were changed, removed or mistyped).');
    expect(stateText()).not.toMatch(/sign (in|out)/i);
    expect(stateText()).not.toContain('Details:');
    expect(document.querySelectorAll('[data-testid^="card-"]')).toHaveLength(0);
    // Positive control: the technician's own credentials failing does say to sign in again.
    state.failure.value = { code: 'member_unverified' };
    await expect.poll(() => stateText()).toMatch(/Sign out of ConnectWise and in again/);
  });

  it('says when ConnectWise opened the pod on another screen', async () => {
    const { state } = setup();
    state.otherScreen.value = 'company';
    await expect.poll(() => textOf('pod-state')).toMatch(/shows service tickets.*“company”/);
  });

  it('the debug panel shows host mode, handshake, unsubstituted id and message counts, and no secret', async () => {
    const { state, host } = setup();
    host.acceptedOrigin.value = 'https://na.myconnectwise.net';
    state.session.value = { token: 'secret-token', expiresAt: '2026-11-23T12:15:00Z', member: { identifier: 'jdoe', name: 'J' } };
    await userEvent.click(page.getByText('Diagnostics'));
    await expect.poll(() => textOf('debug-panel')).toMatch(/ConnectWise PSA/);
    const panel = textOf('debug-panel');
    expect(panel).toContain('not substituted');
    expect(panel).toContain('1 accepted, 3 ignored');
    expect(panel).toContain('https://na.myconnectwise.net');
    expect(document.querySelector('[data-testid="debug-panel"]')?.textContent).not.toContain('secret-token');
  });

  it('outside any frame: explains the pod and links the harness in demo mode', () => {
    const el = mount(<OutsideFrame harnessUrl="http://localhost:5174/harness/" />);
    expect(el.querySelector('[data-testid="pod-state"]')?.textContent).toContain('meant to open inside a service ticket');
    expect(el.querySelector('a')?.getAttribute('href')).toBe('http://localhost:5174/harness/');
    const plain = mount(<OutsideFrame />);
    expect(plain.querySelector('a')).toBeNull();
  });
});
