import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { editing, tenants } from '../../../../pod/admin/state.ts';
import { TenantList } from '../../../../pod/admin/views/TenantList.tsx';
import { failingKeysTest, onPremiseTenant, passingTest, tenantView, testResult } from '../support/admin-fixtures.ts';
import { mount, unmountAll } from '../support/mount.ts';
import { resetAdminState } from '../support/reset-state.ts';

beforeEach(resetAdminState);
afterEach(unmountAll);

const lastTestCell = (companyId: string) => document.querySelector(`[data-testid="tenant-row-${companyId}"] td:nth-child(3)`)!;

describe('tenant list', () => {
  it('invites adding a company when there is none', async () => {
    mount(<TenantList />);
    await expect.element(page.getByText('No company is set up yet.', { exact: false })).toBeVisible();
    expect(document.querySelector('[data-testid="tenant-table"]')).toBeNull();
  });

  it('shows one row per company with its site and its last test', async () => {
    const twoWarnings = testResult({
      client_id: { status: 'warning', message: 'No clientId.', fix: 'Set CW_CLIENT_ID.' },
      boards: { status: 'warning', message: 'No boards visible.', fix: 'Check the role.' },
    });
    tenants.value = [
      tenantView({ companyId: 'acme', lastTest: passingTest() }),
      tenantView({ companyId: 'beta', lastTest: failingKeysTest() }),
      onPremiseTenant({ companyId: 'contoso', lastTest: null }),
      tenantView({ companyId: 'delta', lastTest: testResult({ boards: { status: 'warning', message: 'No boards visible.', fix: 'Check the role.' } }) }),
      tenantView({ companyId: 'echo', lastTest: twoWarnings }),
    ];
    mount(<TenantList />);
    await expect.element(page.getByTestId('tenant-table')).toBeVisible();
    expect(document.querySelectorAll('tbody tr')).toHaveLength(5);

    expect(lastTestCell('acme').textContent).toMatch(/^✓ passed · /);
    expect(lastTestCell('acme').className).toBe('good');
    expect(lastTestCell('beta').textContent).toMatch(/^✗ 1 failed · /);
    expect(lastTestCell('beta').className).toBe('bad');
    expect(lastTestCell('contoso').textContent).toBe('Not tested');
    expect(lastTestCell('contoso').className).toBe('muted');
    expect(lastTestCell('delta').textContent).toMatch(/^✓ passed, 1 warning · /);
    expect(lastTestCell('delta').className).toBe('warn');
    expect(lastTestCell('echo').textContent).toMatch(/^✓ passed, 2 warnings · /);

    expect(lastTestCell('acme').textContent).toContain(new Date(passingTest().ranAt).toLocaleString());
    const contoso = document.querySelector('[data-testid="tenant-row-contoso"]')!;
    expect(contoso.querySelector('td:nth-child(1)')!.textContent).toBe('contoso');
    expect(contoso.querySelector('td:nth-child(2)')!.textContent).toBe('https://cw.contoso.example');
  });

  it('counts every failed step', () => {
    tenants.value = [
      tenantView({
        lastTest: testResult({
          client_id: { status: 'failed', message: 'Refused.', fix: 'Fix it.' },
          permissions: { status: 'failed', message: 'Missing rights.', fix: 'Grant them.', missing: ['a', 'b'] },
          boards: { status: 'warning', message: 'None.', fix: 'Check.' },
        }),
      }),
    ];
    mount(<TenantList />);
    expect(lastTestCell('acme').textContent).toMatch(/^✗ 2 failed/);
  });

  it('opens a company for editing with its Edit button', async () => {
    tenants.value = [tenantView({ companyId: 'acme' }), tenantView({ companyId: 'beta' })];
    mount(<TenantList />);
    await userEvent.click(page.getByRole('button', { name: 'Edit beta' }));
    expect(editing.value).toBe('beta');
  });

  it('opens an empty editor with Add company', async () => {
    mount(<TenantList />);
    await userEvent.click(page.getByTestId('add-tenant'));
    expect(editing.value).toBe('');
  });

  it('follows the tenants signal', async () => {
    mount(<TenantList />);
    tenants.value = [tenantView({ companyId: 'late' })];
    await expect.element(page.getByTestId('tenant-row-late')).toBeVisible();
  });
});
