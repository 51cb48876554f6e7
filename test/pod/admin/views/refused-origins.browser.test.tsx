import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { adminApi } from '../../../../pod/admin/api.ts';
import { tenants } from '../../../../pod/admin/state.ts';
import { RefusedOrigins } from '../../../../pod/admin/views/refused-origins.tsx';
import { tenantView } from '../support/admin-fixtures.ts';
import { apiError, fakeAdminServer, json, type FakeAdminServer } from '../support/fake-admin-server.ts';
import { mount, unmountAll } from '../support/mount.ts';
import { resetAdminState } from '../support/reset-state.ts';

let server: FakeAdminServer;
beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
  server.on('POST', '/session', json(200, { csrfToken: 'csrf-1' }));
  await adminApi.signIn('token');
});
afterEach(() => {
  unmountAll();
  server.fetchSpy.mockRestore();
});

const refused = (origin: string, count = 1) => ({ origin, firstSeen: '2026-12-02T09:00:00.000Z', lastSeen: '2026-12-02T10:00:00.000Z', count });

describe('refused addresses', () => {
  it('lists the refused addresses with the warning to allow only your own ConnectWise', async () => {
    server.on('GET', '/tenants/acme', json(200, tenantView({ refusedOrigins: [refused('https://cw2.acme.example', 4), refused('https://evil.example')] })));
    mount(<RefusedOrigins companyId="acme" />);
    await expect.element(page.getByTestId('refused-table')).toBeVisible();
    const rows = document.querySelectorAll('[data-testid="refused-table"] tbody tr');
    expect([...rows].map((r) => r.querySelector('td')!.textContent)).toEqual(['https://cw2.acme.example', 'https://evil.example']);
    expect(rows[0]!.querySelector('td:nth-child(4)')!.textContent).toBe('4');
    await expect.element(page.getByTestId('refused-warning')).toMatchTextContent(/Allow only an address you recognise as your own ConnectWise/);
    expect(document.body.textContent).toContain('https://na.myconnectwise.net');
  });

  it('says so when nothing was refused', async () => {
    server.on('GET', '/tenants/acme', json(200, tenantView()));
    mount(<RefusedOrigins companyId="acme" />);
    await expect.element(page.getByTestId('no-refused')).toBeVisible();
  });

  it('"Allow this address" adds it to the extra origins with the version read, changing nothing else', async () => {
    const before = tenantView({ version: 3, extraOrigins: ['https://cw1.acme.example'], refusedOrigins: [refused('https://cw2.acme.example')] });
    const after = tenantView({ version: 4, extraOrigins: ['https://cw1.acme.example', 'https://cw2.acme.example'] });
    tenants.value = [before];
    server.on('GET', '/tenants/acme', json(200, before), json(200, after)).on('PUT', '/tenants/acme', json(200, after));
    mount(<RefusedOrigins companyId="acme" />);
    await userEvent.click(page.getByRole('button', { name: 'Allow this address: https://cw2.acme.example' }));
    await expect.element(page.getByTestId('extra-origins')).toMatchTextContent(/cw2\.acme\.example/);
    const [put] = server.callsTo('PUT', '/tenants/acme');
    expect(put!.body).toEqual({ site: 'na.myconnectwise.net', extraOrigins: ['https://cw1.acme.example', 'https://cw2.acme.example'], version: 3 });
    expect(put!.headers['x-csrf-token']).toBe('csrf-1');
    await expect.element(page.getByTestId('no-refused')).toBeVisible();
    // The list of companies holds the new version, so the editor's next save is not stale.
    expect(tenants.value[0]!.version).toBe(4);
  });

  it('removes an extra address and allows one typed in its exact form', async () => {
    const before = tenantView({ version: 3, extraOrigins: ['https://cw1.acme.example'] });
    server
      .on('GET', '/tenants/acme', json(200, before))
      .on('PUT', '/tenants/acme', json(200, tenantView({ version: 4 })));
    mount(<RefusedOrigins companyId="acme" />);
    await userEvent.click(page.getByRole('button', { name: 'Remove https://cw1.acme.example' }));
    await expect.poll(() => server.callsTo('PUT', '/tenants/acme').length).toBe(1);
    expect(server.callsTo('PUT', '/tenants/acme')[0]!.body).toMatchObject({ extraOrigins: [] });

    await userEvent.fill(page.getByTestId('field-extra-origin'), 'HTTPS://CW9.acme.example/');
    await userEvent.click(page.getByRole('button', { name: 'Allow', exact: true }));
    await expect.poll(() => server.callsTo('PUT', '/tenants/acme').length).toBe(2);
    expect(server.callsTo('PUT', '/tenants/acme')[1]!.body).toMatchObject({ extraOrigins: ['https://cw1.acme.example', 'https://cw9.acme.example'] });
  });

  it('refuses a typed value that is not an address, without calling the server', async () => {
    server.on('GET', '/tenants/acme', json(200, tenantView()));
    mount(<RefusedOrigins companyId="acme" />);
    await userEvent.fill(page.getByTestId('field-extra-origin'), 'cw.acme.example/path');
    await userEvent.click(page.getByRole('button', { name: 'Allow', exact: true }));
    await expect.element(page.getByRole('alert')).toMatchTextContent(/exact address/);
    expect(server.callsTo('PUT', '/tenants/acme')).toEqual([]);
  });

  it('offers no more once ten are allowed', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => `https://cw${i}.acme.example`);
    server.on('GET', '/tenants/acme', json(200, tenantView({ extraOrigins: ten, refusedOrigins: [refused('https://cw10.acme.example')] })));
    mount(<RefusedOrigins companyId="acme" />);
    await expect.element(page.getByRole('button', { name: 'Allow this address: https://cw10.acme.example' })).toBeDisabled();
    await expect.element(page.getByText('At most 10 extra addresses', { exact: false })).toBeVisible();
  });

  it('shows the server\'s refusal', async () => {
    server
      .on('GET', '/tenants/acme', json(200, tenantView({ refusedOrigins: [refused('https://cw2.acme.example')] })))
      .on('PUT', '/tenants/acme', apiError(422, 'validation_failed', 'extraOrigins.0: an exact origin, written https://cw2.acme.example'));
    mount(<RefusedOrigins companyId="acme" />);
    await userEvent.click(page.getByRole('button', { name: 'Allow this address: https://cw2.acme.example' }));
    await expect.element(page.getByRole('alert')).toMatchTextContent(/an exact origin/);
  });
});
