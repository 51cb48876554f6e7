import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { editing, notice, signInState, tenants } from '../../../../pod/admin/state.ts';
import { App } from '../../../../pod/admin/views/App.tsx';
import { passingTest, tenantView } from '../support/admin-fixtures.ts';
import { fakeAdminServer, json, noContent, type FakeAdminServer } from '../support/fake-admin-server.ts';
import { mount, unmountAll } from '../support/mount.ts';
import { resetAdminState } from '../support/reset-state.ts';

let server: FakeAdminServer;

beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
});

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

describe('admin console app', () => {
  it('shows only a loading line while it checks for a session', async () => {
    mount(<App />);
    await expect.element(page.getByText('Loading…', { exact: true })).toBeVisible();
    expect(document.querySelector('[data-testid="admin-token"]')).toBeNull();
    expect(document.querySelector('[data-testid="add-tenant"]')).toBeNull();
  });

  it('shows the sign-in form when signed out', async () => {
    signInState.value = 'signed-out';
    mount(<App />);
    await expect.element(page.getByTestId('admin-token')).toBeVisible();
    expect(document.querySelector('[data-testid="add-tenant"]')).toBeNull();
  });

  it('shows the companies, and the editor only while one is being edited', async () => {
    signInState.value = 'signed-in';
    tenants.value = [tenantView({ lastTest: passingTest() })];
    mount(<App />);
    await expect.element(page.getByRole('heading', { name: 'ConnectWise pod — admin console' })).toBeVisible();
    await expect.element(page.getByTestId('tenant-row-acme')).toBeVisible();
    expect(document.querySelector('[data-testid="tenant-editor"]')).toBeNull();
    server.on('GET', '/tenants/acme/boards', json(200, { boards: [] }));
    await userEvent.click(page.getByRole('button', { name: 'Edit acme' }));
    await expect.element(page.getByRole('heading', { name: 'Company acme' })).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Add company' }));
    await expect.element(page.getByRole('heading', { name: 'Add a ConnectWise company' })).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Close' }));
    await expect.element(page.getByTestId('tenant-editor')).not.toBeInTheDocument();
  });

  it('moves from the sign-in form to the companies once signed in', async () => {
    signInState.value = 'signed-out';
    server.on('POST', '/session', json(200, { csrfToken: 'c' })).on('GET', '/tenants', json(200, { tenants: [tenantView()] }));
    mount(<App />);
    await userEvent.fill(page.getByTestId('admin-token'), 'the-token');
    await userEvent.click(page.getByTestId('sign-in'));
    await expect.element(page.getByTestId('tenant-row-acme')).toBeVisible();
    expect(document.querySelector('[data-testid="admin-token"]')).toBeNull();
  });

  it('signs out: ends the server session, forgets the companies and shows the sign-in form', async () => {
    signInState.value = 'signed-in';
    tenants.value = [tenantView()];
    editing.value = 'acme';
    server
      .on('DELETE', '/session', noContent())
      // The open company's refused addresses and events (issue 11) read on their own.
      .on('GET', '/tenants/acme', json(200, tenantView()))
      .on('GET', '/tenants/acme/events', json(200, { companyId: 'acme', requests: [], failures: [], lastHour: { pagesServed: 0, verified: 0, contextServed: 0, refusedFramings: 0, blockedFramings: 0 } }));
    mount(<App />);
    await userEvent.click(page.getByRole('button', { name: 'Sign out' }));
    await expect.element(page.getByTestId('admin-token')).toBeVisible();
    expect(server.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual(['DELETE /session']);
    expect(server.unexpected).toEqual([]);
    expect(signInState.value).toBe('signed-out');
    expect(tenants.value).toEqual([]);
    expect(editing.value).toBeNull();
    expect(document.body.textContent).not.toContain('acme');
  });

  it('signs out locally even when the server cannot be reached', async () => {
    signInState.value = 'signed-in';
    server.fetchSpy.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    mount(<App />);
    await userEvent.click(page.getByRole('button', { name: 'Sign out' }));
    await expect.element(page.getByTestId('admin-token')).toBeVisible();
    expect(signInState.value).toBe('signed-out');
  });

  it('shows a notice and lets the admin dismiss it', async () => {
    signInState.value = 'signed-in';
    notice.value = { kind: 'error', text: 'The pod server did not answer.' };
    mount(<App />);
    const alert = page.getByRole('alert');
    await expect.element(alert).toMatchTextContent('The pod server did not answer.');
    await expect.element(alert).toHaveClass('error');
    await userEvent.click(page.getByRole('button', { name: 'Dismiss' }));
    await expect.element(alert).not.toBeInTheDocument();
    expect(notice.value).toBeNull();
  });

  it('shows an informational notice as good news', async () => {
    signInState.value = 'signed-in';
    notice.value = { kind: 'info', text: 'Removed acme.' };
    mount(<App />);
    await expect.element(page.getByText('Removed acme.', { exact: false })).toHaveClass('good');
  });
});
