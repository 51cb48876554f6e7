import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { adminApi } from '../../../../pod/admin/api.ts';
import { signInState, tenants } from '../../../../pod/admin/state.ts';
import { SignIn } from '../../../../pod/admin/views/SignIn.tsx';
import { passingTest, tenantView } from '../support/admin-fixtures.ts';
import { apiError, deferred, fakeAdminServer, json, type FakeAdminServer } from '../support/fake-admin-server.ts';
import { mount, unmountAll } from '../support/mount.ts';
import { resetAdminState } from '../support/reset-state.ts';

let server: FakeAdminServer;

beforeEach(async () => {
  await resetAdminState();
  signInState.value = 'signed-out';
  server = fakeAdminServer();
});

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

describe('sign-in form', () => {
  it('keeps the button disabled until a token is typed, and hides what is typed', async () => {
    mount(<SignIn />);
    await expect.element(page.getByTestId('sign-in')).toBeDisabled();
    await userEvent.fill(page.getByTestId('admin-token'), '   ');
    await expect.element(page.getByTestId('sign-in')).toBeDisabled();
    await userEvent.fill(page.getByTestId('admin-token'), 'abc');
    await expect.element(page.getByTestId('sign-in')).toBeEnabled();
    await expect.element(page.getByTestId('admin-token')).toHaveAttribute('type', 'password');
  });

  it('explains a wrong token and stays signed out', async () => {
    server.on('POST', '/session', apiError(401, 'unauthorized', 'That is not the admin token.'));
    mount(<SignIn />);
    await userEvent.fill(page.getByTestId('admin-token'), 'wrong-token');
    await userEvent.click(page.getByTestId('sign-in'));
    const alert = page.getByRole('alert');
    await expect.element(alert).toMatchTextContent(/admin token is not right/);
    await expect.element(alert).toMatchTextContent('ADMIN_TOKEN');
    expect(signInState.value).toBe('signed-out');
    // The form points at the explanation, and the token stays for correcting it.
    expect(document.querySelector('form')!.getAttribute('aria-describedby')).toBe('signin-error');
    await expect.element(page.getByTestId('admin-token')).toHaveValue('wrong-token');
    await expect.element(page.getByTestId('sign-in')).toBeEnabled();
  });

  it('shows the server’s own message for other failures', async () => {
    server.on('POST', '/session', apiError(429, 'rate_limited', 'Too many sign-in attempts: wait 60 seconds.'));
    mount(<SignIn />);
    await userEvent.fill(page.getByTestId('admin-token'), 'x');
    await userEvent.click(page.getByTestId('sign-in'));
    await expect.element(page.getByRole('alert')).toHaveTextContent('Too many sign-in attempts: wait 60 seconds.');
  });

  it('says when the server does not answer', async () => {
    server.fetchSpy.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    mount(<SignIn />);
    await userEvent.fill(page.getByTestId('admin-token'), 'x');
    await userEvent.click(page.getByTestId('sign-in'));
    await expect.element(page.getByRole('alert')).toMatchTextContent(/pod server did not answer/);
  });

  it('sends the trimmed token, signs in, forgets the token and loads the companies', async () => {
    const gate = deferred();
    server.on('POST', '/session', gate.answer).on('GET', '/tenants', json(200, { tenants: [tenantView({ lastTest: passingTest() })] }));
    mount(<SignIn />);
    await userEvent.fill(page.getByTestId('admin-token'), '  the-token \n');
    await userEvent.click(page.getByTestId('sign-in'));
    await expect.element(page.getByTestId('sign-in')).toHaveTextContent('Signing in…');
    await expect.element(page.getByTestId('sign-in')).toBeDisabled();
    gate.release(json(200, { csrfToken: 'csrf-1' }));
    await expect.poll(() => signInState.value).toBe('signed-in');
    await expect.poll(() => tenants.value.map((t) => t.companyId)).toEqual(['acme']);
    expect(server.callsTo('POST', '/session')[0]!.body).toEqual({ token: 'the-token' });
    await expect.element(page.getByTestId('admin-token')).toHaveValue('');
    expect(server.unexpected).toEqual([]);
  });

  it('submits with Enter', async () => {
    const signIn = vi.spyOn(adminApi, 'signIn').mockResolvedValue(undefined);
    server.on('GET', '/tenants', json(200, { tenants: [] }));
    mount(<SignIn />);
    await userEvent.fill(page.getByTestId('admin-token'), 'tok');
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => signIn.mock.calls).toEqual([['tok']]);
  });
});

describe('where the token comes from (issue 11, first run)', () => {
  it('says it is ADMIN_TOKEN, or in the demo the one printed at start', async () => {
    mount(<SignIn />);
    const hint = page.getByTestId('admin-token-hint');
    await expect.element(hint).toMatchTextContent(/ADMIN_TOKEN the pod server was started with/);
    await expect.element(hint).toMatchTextContent(/printed it at start/);
    await expect.element(page.getByTestId('admin-token')).toHaveAttribute('aria-describedby', 'admin-token-hint');
  });
});
