import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdminApiError, adminApi } from '../../../pod/admin/api.ts';
import { boardList, passingTest, registerResult, tenantView } from './support/admin-fixtures.ts';
import { apiError, fakeAdminServer, json, noContent, type FakeAdminServer } from './support/fake-admin-server.ts';
import { resetAdminState } from './support/reset-state.ts';

let server: FakeAdminServer;

beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function signedIn(csrfToken = 'csrf-123') {
  server.on('POST', '/session', json(200, { csrfToken }));
  await adminApi.signIn('the-admin-token');
}

async function rejection(promise: Promise<unknown>): Promise<AdminApiError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdminApiError);
  return err as AdminApiError;
}

describe('admin API client', () => {
  it('signs in by posting the token as JSON to /api/admin/session, with the session cookie allowed', async () => {
    await signedIn();
    const [call] = server.callsTo('POST', '/session');
    expect(call!.url).toBe(`${location.origin}/api/admin/session`);
    expect(call!.body).toEqual({ token: 'the-admin-token' });
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.headers['accept']).toBe('application/json');
    expect(call!.credentials).toBe('same-origin');
    // Nothing to send yet: the CSRF token comes with this answer.
    expect(call!.headers['x-csrf-token']).toBeUndefined();
  });

  it('sends the CSRF token from the sign-in on every state-changing request', async () => {
    await signedIn('csrf-from-sign-in');
    server
      .on('PUT', '/tenants/acme', json(200, tenantView()))
      .on('POST', '/tenants/acme/test', json(200, passingTest()))
      .on('POST', '/tenants/acme/register-pod', json(200, registerResult('created')))
      .on('DELETE', '/tenants/acme', noContent());
    await adminApi.saveTenant('acme', { site: 'na.myconnectwise.net' });
    await adminApi.testTenant('acme');
    await adminApi.registerPod('acme');
    await adminApi.deleteTenant('acme');
    const writes = server.calls.filter((c) => c.path !== '/session');
    expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual([
      'PUT /tenants/acme',
      'POST /tenants/acme/test',
      'POST /tenants/acme/register-pod',
      'DELETE /tenants/acme',
    ]);
    for (const c of writes) expect(c.headers['x-csrf-token'], `${c.method} ${c.path}`).toBe('csrf-from-sign-in');
    expect(server.unexpected).toEqual([]);
  });

  it('sends no CSRF token with GETs', async () => {
    await signedIn();
    server
      .on('GET', '/tenants', json(200, { tenants: [tenantView()] }))
      .on('GET', '/tenants/acme', json(200, tenantView()))
      .on('GET', '/tenants/acme/boards', json(200, boardList()));
    await adminApi.listTenants();
    await adminApi.getTenant('acme');
    await adminApi.boards('acme');
    const reads = server.calls.filter((c) => c.method === 'GET');
    expect(reads).toHaveLength(3);
    for (const c of reads) expect(c.headers['x-csrf-token']).toBeUndefined();
  });

  it('resumes a session from the cookie and takes the CSRF token the server gives back', async () => {
    server.on('GET', '/session', json(200, { csrfToken: 'csrf-resumed' })).on('POST', '/tenants/acme/test', json(200, passingTest()));
    await expect(adminApi.resume()).resolves.toBe(true);
    await adminApi.testTenant('acme');
    expect(server.callsTo('POST', '/tenants/acme/test')[0]!.headers['x-csrf-token']).toBe('csrf-resumed');
  });

  it('reports no session to resume when the server answers 401', async () => {
    server.on('GET', '/session', apiError(401, 'unauthorized', 'Not signed in.'));
    await expect(adminApi.resume()).resolves.toBe(false);
  });

  it('forgets the CSRF token on sign-out, even when the server does not answer', async () => {
    await signedIn();
    server.fetchSpy.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(adminApi.signOut()).resolves.toBeUndefined();
    server.on('POST', '/tenants/acme/test', json(200, passingTest()));
    await adminApi.testTenant('acme');
    expect(server.callsTo('POST', '/tenants/acme/test')[0]!.headers['x-csrf-token']).toBeUndefined();
  });

  it('signs out with DELETE /session carrying the CSRF token', async () => {
    await signedIn('csrf-x');
    server.on('DELETE', '/session', noContent());
    await adminApi.signOut();
    expect(server.callsTo('DELETE', '/session')[0]!.headers['x-csrf-token']).toBe('csrf-x');
  });

  it('sends the tenant input as the JSON body of the PUT and returns the parsed view', async () => {
    await signedIn();
    const view = tenantView({ version: 4 });
    server.on('PUT', '/tenants/acme', json(200, view));
    const input = { site: 'eu.myconnectwise.net', publicKey: 'pub-key-value', clientId: null, boardIds: [1, 4], version: 3 };
    await expect(adminApi.saveTenant('acme', input)).resolves.toEqual(view);
    const [call] = server.callsTo('PUT', '/tenants/acme');
    expect(call!.body).toEqual(input);
    expect(call!.headers['content-type']).toBe('application/json');
  });

  it('escapes the company id in the path', async () => {
    server.on('GET', '/tenants/a%2Fb%20c', json(200, tenantView({ companyId: 'a/b c' })));
    await adminApi.getTenant('a/b c');
    expect(server.unexpected).toEqual([]);
  });

  it('sends no body and no Content-Type when there is nothing to send', async () => {
    await signedIn();
    server.on('POST', '/tenants/acme/test', json(200, passingTest()));
    await adminApi.testTenant('acme');
    const [call] = server.callsTo('POST', '/tenants/acme/test');
    expect(call!.body).toBeUndefined();
    expect(call!.headers['content-type']).toBeUndefined();
  });

  it('resolves a 204 DELETE to nothing', async () => {
    server.on('DELETE', '/tenants/acme', noContent());
    await expect(adminApi.deleteTenant('acme')).resolves.toBeUndefined();
  });

  it('turns an error body into an AdminApiError with its status, code, message and fields', async () => {
    const fields = [
      { path: 'site', message: 'cw.internal.example resolves to a private address.' },
      { path: 'clientId', message: 'a clientId is the GUID from developer.connectwise.com' },
    ];
    server.on('PUT', '/tenants/acme', apiError(422, 'validation_failed', 'site: cw.internal.example resolves to a private address.', fields));
    const err = await rejection(adminApi.saveTenant('acme', { site: 'cw.internal.example' }));
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('site: cw.internal.example resolves to a private address.');
    expect(err.fields).toEqual(fields);
    expect(err.name).toBe('AdminApiError');
  });

  it('gives an error without fields an empty field list', async () => {
    server.on('PUT', '/tenants/acme', apiError(409, 'version_conflict', 'The tenant changed since version 3.'));
    const err = await rejection(adminApi.saveTenant('acme', { site: 'na.myconnectwise.net', version: 3 }));
    expect(err).toMatchObject({ status: 409, code: 'version_conflict', message: 'The tenant changed since version 3.', fields: [] });
  });

  it('explains a network failure in words, with status 0', async () => {
    server.fetchSpy.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const err = await rejection(adminApi.listTenants());
    expect(err).toMatchObject({ status: 0, code: 'network' });
    expect(err.message).toMatch(/pod server did not answer/i);
    expect(err.message).not.toContain('Failed to fetch');
  });

  it('explains a 500 whose body is not JSON', async () => {
    server.on('GET', '/tenants', new Response('<html><body>Bad Gateway</body></html>', { status: 500, headers: { 'Content-Type': 'text/html' } }));
    const err = await rejection(adminApi.listTenants());
    expect(err).toMatchObject({ status: 500, code: 'unexpected', message: 'The server answered 500 without an explanation.' });
  });

  it('explains an error with an empty body', async () => {
    server.on('POST', '/tenants/acme/register-pod', new Response(null, { status: 502 }));
    const err = await rejection(adminApi.registerPod('acme'));
    expect(err).toMatchObject({ status: 502, code: 'unexpected' });
    expect(err.message).toContain('502');
  });

  it('rejects a successful answer in the wrong shape instead of passing it on', async () => {
    const bad = { tenants: [{ ...tenantView(), hostedApi: undefined }] };
    server.on('GET', '/tenants', json(200, bad));
    const err = await rejection(adminApi.listTenants());
    expect(err).toMatchObject({ status: 200, code: 'unexpected' });
    expect(err.message).toMatch(/unexpected shape/i);
  });

  it('rejects a successful answer that is not JSON', async () => {
    server.on('GET', '/tenants/acme/boards', new Response('<!doctype html><title>Admin</title>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    const err = await rejection(adminApi.boards('acme'));
    expect(err.code).toBe('unexpected');
  });

  it('rejects a sign-in answer without a CSRF token', async () => {
    server.on('POST', '/session', json(200, { ok: true }));
    const err = await rejection(adminApi.signIn('token'));
    expect(err.code).toBe('unexpected');
  });

  it('passes a wrong admin token on as a 401', async () => {
    server.on('POST', '/session', apiError(401, 'unauthorized', 'That is not the admin token.'));
    const err = await rejection(adminApi.signIn('nope'));
    expect(err).toMatchObject({ status: 401, code: 'unauthorized', message: 'That is not the admin token.' });
  });
});
