import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { permissionsStep } from '../../../../server/admin/permission-check.ts';
import { HostedApiPanel, roleCannotRegister } from '../../../../pod/admin/views/HostedApiPanel.tsx';
import { cannotRegisterTest, failingKeysTest, passingTest, registerResult, registerRight, tenantView, testResult } from '../support/admin-fixtures.ts';
import { apiError, deferred, fakeAdminServer, json, type FakeAdminServer } from '../support/fake-admin-server.ts';
import { mount, unmountAll } from '../support/mount.ts';
import { resetAdminState } from '../support/reset-state.ts';

let server: FakeAdminServer;
let copied: string[];

beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
  copied = [];
  vi.spyOn(navigator.clipboard, 'writeText').mockImplementation(async (text: string) => {
    copied.push(text);
  });
});

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

const valueOf = (testId: string) => (document.querySelector(`[data-testid="${testId}"]`) as HTMLInputElement).value;

describe('Manage Hosted API panel', () => {
  it('shows the pod URL and every Manage Hosted API value', () => {
    const tenant = tenantView({ lastTest: passingTest() });
    mount(<HostedApiPanel tenant={tenant} />);
    expect(valueOf('pod-url')).toBe('https://pod.example.com/hostedapis/connectwiseiframe/acme?id=[cw_id]&screen=[cw_screen]');
    expect(valueOf('hosted-description')).toBe('Ticket context');
    expect(valueOf('hosted-screen')).toBe('Service Ticket');
    expect(valueOf('hosted-origin')).toBe('https://pod.example.com');
    expect(valueOf('hosted-height')).toBe('900');
  });

  it('warns that an http Origin will not load in technicians’ browsers (issue 11 item 7), but not for https or localhost', () => {
    const withOrigin = (origin: string) => {
      const tenant = tenantView();
      return { ...tenant, hostedApi: { ...tenant.hostedApi, origin, url: `${origin}/hostedapis/connectwiseiframe/acme`, nilearUrl: `${origin}/x` } };
    };
    mount(<HostedApiPanel tenant={withOrigin('http://pod.example.com')} />);
    const warning = document.querySelector('[data-testid="public-url-warning"]');
    expect(warning?.textContent).toContain('PUBLIC_URL (http://pod.example.com) is not https');
    expect(warning?.getAttribute('role')).toBe('alert');
    unmountAll();
    mount(<HostedApiPanel tenant={withOrigin('http://localhost:8080')} />);
    expect(document.querySelector('[data-testid="hosted-api-panel"]')).not.toBeNull();
    expect(document.querySelector('[data-testid="public-url-warning"]')).toBeNull();
    unmountAll();
    mount(<HostedApiPanel tenant={withOrigin('https://pod.example.com')} />);
    expect(document.querySelector('[data-testid="public-url-warning"]')).toBeNull();
  });

  it('copies each value with its own button', async () => {
    const tenant = tenantView({ lastTest: passingTest() });
    mount(<HostedApiPanel tenant={tenant} />);
    for (const id of ['pod-url', 'hosted-description', 'hosted-screen', 'hosted-origin', 'hosted-height']) {
      await userEvent.click(page.getByTestId(`${id}-copy`));
    }
    expect(copied).toEqual([tenant.hostedApi.url, 'Ticket context', 'Service Ticket', 'https://pod.example.com', '900']);
  });

  it('switches the pod URL to the Nilear one with the toggle, and back', async () => {
    const tenant = tenantView({ nilearOrigin: 'https://mtx.example.com', lastTest: passingTest() });
    mount(<HostedApiPanel tenant={tenant} />);
    await expect.element(page.getByTestId('nilear-toggle')).not.toBeChecked();
    await userEvent.click(page.getByTestId('nilear-toggle'));
    await expect.element(page.getByTestId('pod-url')).toHaveValue(tenant.hostedApi.nilearUrl);
    expect(valueOf('pod-url')).toMatch(/&nilear=true$/);
    await userEvent.click(page.getByTestId('pod-url-copy'));
    expect(copied).toEqual([tenant.hostedApi.nilearUrl]);
    await userEvent.click(page.getByTestId('nilear-toggle'));
    await expect.element(page.getByTestId('pod-url')).toHaveValue(tenant.hostedApi.url);
  });

  for (const [action, text] of [
    ['created', 'Registered (setup #12, screen #3).'],
    ['updated', 'Updated the existing entry (setup #12, screen #3).'],
    ['unchanged', 'Already registered, nothing changed (setup #12, screen #3).'],
  ] as const) {
    it(`registers in ConnectWise and reports "${action}"`, async () => {
      const gate = deferred();
      server.on('POST', '/tenants/acme/register-pod', gate.answer);
      mount(<HostedApiPanel tenant={tenantView({ lastTest: passingTest() })} />);
      await userEvent.click(page.getByTestId('register-pod'));
      await expect.element(page.getByTestId('register-pod')).toHaveTextContent('Registering…');
      await expect.element(page.getByTestId('register-pod')).toBeDisabled();
      gate.release(json(200, registerResult(action)));
      await expect.element(page.getByTestId('register-result')).toHaveTextContent(text);
      await expect.element(page.getByTestId('register-pod')).toBeEnabled();
      expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /tenants/acme/register-pod']);
    });
  }

  it('shows why registration was refused', async () => {
    server.on(
      'POST',
      '/tenants/acme/register-pod',
      apiError(403, 'forbidden', 'ConnectWise refused to add the Manage Hosted API entry (403): the role lacks System › Manage Hosted API › Add.'),
    );
    mount(<HostedApiPanel tenant={tenantView({ lastTest: passingTest() })} />);
    await userEvent.click(page.getByTestId('register-pod'));
    await expect.element(page.getByRole('alert')).toMatchTextContent('ConnectWise refused to add the Manage Hosted API entry (403)');
    expect(document.querySelector('[data-testid="register-result"]')).toBeNull();
    await expect.element(page.getByTestId('register-pod')).toBeEnabled();
  });

  it('clears an earlier error when registering again succeeds', async () => {
    server.on('POST', '/tenants/acme/register-pod', apiError(502, 'connectwise_unreachable', 'ConnectWise did not answer.'), json(200, registerResult('created')));
    mount(<HostedApiPanel tenant={tenantView({ lastTest: passingTest() })} />);
    await userEvent.click(page.getByTestId('register-pod'));
    await expect.element(page.getByRole('alert')).toHaveTextContent('ConnectWise did not answer.');
    await userEvent.click(page.getByTestId('register-pod'));
    await expect.element(page.getByTestId('register-result')).toMatchTextContent('Registered');
    await expect.element(page.getByRole('alert')).not.toBeInTheDocument();
  });

  it('disables registration and explains why when the role cannot add Manage Hosted API rows', async () => {
    mount(<HostedApiPanel tenant={tenantView({ lastTest: cannotRegisterTest() })} />);
    await expect.element(page.getByTestId('register-pod')).toBeDisabled();
    await expect.element(page.getByTestId('register-unavailable')).toMatchTextContent(registerRight.uiPath);
    await expect.element(page.getByTestId('register-unavailable')).toMatchTextContent('add the row by hand');
    expect(server.calls).toEqual([]);
  });

  it('tells the technicians’ own step, naming the pod as ConnectWise lists it', () => {
    const el = mount(<HostedApiPanel tenant={tenantView({ lastTest: passingTest() })} />);
    expect(el.textContent).toContain('Then, each technician');
    expect(el.textContent).toContain('moves "Ticket context" from Not Displayed to Displayed');
    expect(el.textContent).toContain('Copy Pod Layouts');
  });
});

describe('roleCannotRegister', () => {
  it('is true only when the permissions step lists the Manage Hosted API add right as missing', () => {
    expect(roleCannotRegister(tenantView({ lastTest: cannotRegisterTest() }))).toBe(true);
    expect(roleCannotRegister(tenantView({ lastTest: null }))).toBe(false);
    expect(roleCannotRegister(tenantView({ lastTest: passingTest() }))).toBe(false);
    expect(roleCannotRegister(tenantView({ lastTest: failingKeysTest() }))).toBe(false);
    const otherMissing = testResult({ permissions: { status: 'failed', message: 'Missing.', fix: 'Grant.', missing: ['System › Security Roles › <role> › Service Desk › Service Tickets › Inquire Level = All'] } });
    expect(roleCannotRegister(tenantView({ lastTest: otherMissing }))).toBe(false);
  });

  it('does not block registration when the right is missing under some other step', () => {
    const elsewhere = testResult({ boards: { status: 'warning', message: 'x', fix: 'y', missing: [registerRight.uiPath] } });
    expect(roleCannotRegister(tenantView({ lastTest: elsewhere }))).toBe(false);
  });

  it('recognises the permissions step exactly as the server’s connection test builds it', () => {
    const step = permissionsStep([{ permission: registerRight, status: 'missing', reason: 'the role’s Add level is None' }], 'the role settings');
    const lastTest = testResult({ permissions: step });
    expect(roleCannotRegister(tenantView({ lastTest }))).toBe(true);
  });
});
