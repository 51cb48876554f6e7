import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'preact';
import { signInState, tenants } from '../../../pod/admin/state.ts';
import { passingTest, tenantView } from './support/admin-fixtures.ts';
import { apiError, fakeAdminServer, json, type FakeAdminServer } from './support/fake-admin-server.ts';
import { resetAdminState } from './support/reset-state.ts';

/**
 * main.tsx renders the console into #app and resumes a session as soon as it is loaded.
 * Each test loads it afresh (a distinct query makes a distinct module instance) into its
 * own #app.
 */

let server: FakeAdminServer;
let app: HTMLElement;

beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
  app = document.createElement('div');
  app.id = 'app';
  document.body.append(app);
});

afterEach(() => {
  render(null, app);
  app.remove();
  vi.restoreAllMocks();
});

async function loadMain(instance: string) {
  const url = `${new URL('../../../pod/admin/main.tsx', import.meta.url).href}?${instance}`;
  await import(/* @vite-ignore */ url);
}

describe('admin console entry', () => {
  it('resumes the session from its cookie and lists the companies', async () => {
    server.on('GET', '/session', json(200, { csrfToken: 'csrf-resumed' })).on('GET', '/tenants', json(200, { tenants: [tenantView({ lastTest: passingTest() })] }));
    await loadMain('resumed');
    await expect.element(page.getByTestId('tenant-row-acme')).toBeVisible();
    expect(signInState.value).toBe('signed-in');
    expect(tenants.value).toHaveLength(1);
    expect(app.contains(document.querySelector('[data-testid="tenant-table"]'))).toBe(true);
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /session', 'GET /tenants']);
  });

  it('shows the sign-in form when there is no session', async () => {
    server.on('GET', '/session', apiError(401, 'unauthorized', 'Not signed in.'));
    await loadMain('signed-out');
    await expect.element(page.getByTestId('admin-token')).toBeVisible();
    expect(signInState.value).toBe('signed-out');
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /session']);
  });

  it('loads the console’s stylesheet (screen-reader-only text is visually hidden)', async () => {
    server.on('GET', '/session', apiError(401, 'unauthorized', 'Not signed in.'));
    await loadMain('styles');
    await expect.element(page.getByTestId('admin-token')).toBeVisible();
    const probe = document.createElement('span');
    probe.className = 'visually-hidden';
    probe.textContent = '(failed)';
    app.append(probe);
    const style = getComputedStyle(probe);
    expect(style.position).toBe('absolute');
    expect(probe.getBoundingClientRect().width).toBeLessThanOrEqual(1);
    probe.remove();
  });
});
