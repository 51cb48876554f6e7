import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { editing, notice, refreshTenants, replaceTenant, showError, signInState, tenants } from '../../../pod/admin/state.ts';
import { tenantView } from './support/admin-fixtures.ts';
import { apiError, fakeAdminServer, json, type FakeAdminServer } from './support/fake-admin-server.ts';
import { resetAdminState } from './support/reset-state.ts';

let server: FakeAdminServer;

beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('console state', () => {
  it('starts checking for a session, with no companies, no editor and no notice', async () => {
    // resetAdminState sets what a fresh page has; this pins the module's own initial values.
    const url = `${new URL('../../../pod/admin/state.ts', import.meta.url).href}?fresh`;
    const fresh = (await import(/* @vite-ignore */ url)) as typeof import('../../../pod/admin/state.ts');
    expect(fresh.signInState.value).toBe('checking');
    expect(fresh.tenants.value).toEqual([]);
    expect(fresh.editing.value).toBeNull();
    expect(fresh.notice.value).toBeNull();
  });

  it('loads the companies', async () => {
    server.on('GET', '/tenants', json(200, { tenants: [tenantView({ companyId: 'acme' }), tenantView({ companyId: 'beta' })] }));
    await refreshTenants();
    expect(tenants.value.map((t) => t.companyId)).toEqual(['acme', 'beta']);
    expect(notice.value).toBeNull();
  });

  it('signs out when the session has expired', async () => {
    signInState.value = 'signed-in';
    server.on('GET', '/tenants', apiError(401, 'unauthorized', 'Not signed in.'));
    await refreshTenants();
    expect(signInState.value).toBe('signed-out');
    expect(notice.value).toBeNull();
  });

  it('shows other failures as an error notice and keeps the list', async () => {
    signInState.value = 'signed-in';
    tenants.value = [tenantView()];
    server.on('GET', '/tenants', apiError(500, 'internal_error', 'Something failed on the pod server (request req-1).'));
    await refreshTenants();
    expect(notice.value).toEqual({ kind: 'error', text: 'Something failed on the pod server (request req-1).' });
    expect(signInState.value).toBe('signed-in');
    expect(tenants.value).toHaveLength(1);
  });

  it('replaces a company whatever the case of its id, keeping the list sorted', () => {
    tenants.value = [tenantView({ companyId: 'beta' }), tenantView({ companyId: 'delta' })];
    replaceTenant(tenantView({ companyId: 'acme' }));
    expect(tenants.value.map((t) => t.companyId)).toEqual(['acme', 'beta', 'delta']);
    replaceTenant(tenantView({ companyId: 'BETA', version: 9 }));
    expect(tenants.value.map((t) => [t.companyId, t.version])).toEqual([
      ['acme', 3],
      ['BETA', 9],
      ['delta', 3],
    ]);
  });

  it('turns anything thrown into a readable error notice', () => {
    showError(new Error('Boom.'));
    expect(notice.value).toEqual({ kind: 'error', text: 'Boom.' });
    showError('not an error');
    expect(notice.value).toEqual({ kind: 'error', text: 'Something went wrong.' });
    expect(editing.value).toBeNull();
  });
});
