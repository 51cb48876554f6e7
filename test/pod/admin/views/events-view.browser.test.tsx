import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import type { TenantEvents } from '../../../../shared/admin-events.ts';
import { EVENTS_POLL_MS, EventsView } from '../../../../pod/admin/views/events-view.tsx';
import { apiError, fakeAdminServer, json, type FakeAdminServer } from '../support/fake-admin-server.ts';
import { mount, unmountAll } from '../support/mount.ts';
import { resetAdminState } from '../support/reset-state.ts';

let server: FakeAdminServer;
beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
});
afterEach(() => {
  unmountAll();
  server.fetchSpy.mockRestore();
  vi.useRealTimers();
});

const events = (overrides: Partial<TenantEvents> = {}): TenantEvents => ({
  companyId: 'acme',
  requests: [
    { at: '2026-12-02T10:00:02.000Z', method: 'GET', path: 'service/tickets/:id', status: 'ok', ms: 84, trigger: 'view' },
    { at: '2026-12-02T10:00:01.000Z', method: 'GET', path: 'system/myMembers/info', status: '401', ms: 12, trigger: 'session' },
    { at: '2026-12-02T10:00:00.000Z', method: 'GET', path: 'service/tickets/:id', status: 'ok', ms: 95, trigger: 'page' },
  ],
  failures: [{ at: '2026-12-02T10:00:01.000Z', code: 'member_unverified', member: 'jsmith', ticket: 1001 }],
  lastHour: { pagesServed: 12, verified: 10, contextServed: 9, refusedFramings: 2, blockedFramings: 0 },
  ...overrides,
});

describe('events view', () => {
  it('shows the funnel, the ConnectWise requests with their trigger, and the pod failures', async () => {
    server.on('GET', '/tenants/acme/events', json(200, events()));
    mount(<EventsView companyId="acme" />);
    await expect.element(page.getByTestId('funnel')).toMatchTextContent(/12 pod pages served → 10 technicians verified → 9 tickets shown/);
    await expect.element(page.getByTestId('funnel')).toMatchTextContent(/2 opened from an address not allowed/);
    const rows = [...document.querySelectorAll('[data-testid="events-requests"] tbody tr')].map((r) =>
      [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['view', 'GET service/tickets/:id', 'ok', '84'],
      ['session', 'GET system/myMembers/info', '401', '12'],
      ['page warm-up', 'GET service/tickets/:id', 'ok', '95'],
    ]);
    const failure = [...document.querySelectorAll('[data-testid="events-failures"] tbody td')].slice(1).map((td) => td.textContent);
    expect(failure).toEqual(['member_unverified', 'jsmith', '#1001']);
  });

  it('reads the events again while open, and stops when closed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    server.on('GET', '/tenants/acme/events', json(200, events({ requests: [] })), json(200, events()));
    mount(<EventsView companyId="acme" />);
    await expect.element(page.getByText('No request to ConnectWise yet.')).toBeVisible();
    vi.advanceTimersByTime(EVENTS_POLL_MS);
    await expect.element(page.getByTestId('events-requests')).toBeVisible();
    expect(vi.getTimerCount()).toBe(1);
    unmountAll();
    // Preact runs the effect's cleanup after the unmount, not during it.
    await expect.poll(() => vi.getTimerCount()).toBe(0);
    const seen = server.callsTo('GET', '/tenants/acme/events').length;
    vi.advanceTimersByTime(EVENTS_POLL_MS * 3);
    expect(server.callsTo('GET', '/tenants/acme/events').length).toBe(seen);
  });

  it('says what went wrong when the events cannot be read', async () => {
    server.on('GET', '/tenants/acme/events', apiError(404, 'not_found', 'No tenant has the company id "acme".'));
    mount(<EventsView companyId="acme" />);
    await expect.element(page.getByRole('alert')).toMatchTextContent(/No tenant has the company id/);
  });
});
