import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { adminToken, demoTenantInput, startAdminHarness, type AdminHarness } from './support.ts';

/** Sign-in, authentication, CSRF, body limits and rate limits of the admin API. */

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
  await h.call('PUT', '/tenants/demo', { body: demoTenantInput() });
});
afterAll(async () => h?.close());

const errorCode = (json: unknown) => ApiErrorBody.parse(json).error.code;

async function signIn(token = adminToken, on: AdminHarness = h) {
  const res = await fetch(`${on.url}/api/admin/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { res, setCookie, cookie: setCookie.split(';')[0] ?? '', json: (await res.json()) as { csrfToken?: string } };
}

describe('authentication', () => {
  it('refuses a request without credentials with 401 unauthorized', async () => {
    const res = await h.call('GET', '/tenants', { auth: false });
    expect(res.status).toBe(401);
    expect(errorCode(res.json)).toBe('unauthorized');
  });

  it('refuses a wrong Bearer token with 401', async () => {
    const res = await h.call('GET', '/tenants', { auth: false, headers: { Authorization: 'Bearer not-the-token' } });
    expect(res.status).toBe(401);
    expect(errorCode(res.json)).toBe('unauthorized');
  });

  it('refuses a token of the right length but wrong value, and other schemes', async () => {
    const wrong = adminToken.slice(0, -1) + (adminToken.endsWith('f') ? 'e' : 'f');
    expect((await h.call('GET', '/tenants', { auth: false, headers: { Authorization: `Bearer ${wrong}` } })).status).toBe(401);
    expect((await h.call('GET', '/tenants', { auth: false, headers: { Authorization: `Basic ${adminToken}` } })).status).toBe(401);
  });

  it('admits the right Bearer token', async () => {
    const res = await h.call('GET', '/tenants');
    expect(res.status).toBe(200);
    expect(res.json.tenants).toHaveLength(1);
  });

  it('marks every admin answer as not cacheable', async () => {
    expect((await h.call('GET', '/tenants')).headers.get('cache-control')).toBe('no-store');
  });
});

describe('console sign-in', () => {
  it('sets an httpOnly, SameSite=Strict, Secure session cookie on Path=/ and returns a CSRF token', async () => {
    const { res, setCookie, json } = await signIn();
    expect(res.status).toBe(200);
    expect(typeof json.csrfToken).toBe('string');
    expect(setCookie).toMatch(/^__Host-cwpod_admin=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toContain(adminToken);
  });

  it('refuses a wrong token with 401 and no cookie', async () => {
    const { res, setCookie } = await signIn('wrong-token');
    expect(res.status).toBe(401);
    expect(setCookie).toBe('');
  });

  it('lets the cookie read, and with the CSRF header write', async () => {
    const { cookie, json } = await signIn();
    const read = await h.call('GET', '/tenants', { auth: false, headers: { Cookie: cookie } });
    expect(read.status).toBe(200);
    const write = await h.call('PUT', '/tenants/csrf-ok', {
      auth: false,
      headers: { Cookie: cookie, 'X-CSRF-Token': json.csrfToken! },
      body: demoTenantInput(),
    });
    expect(write.status).toBe(201);
  });

  it('refuses a state-changing request with the cookie but without the CSRF header (403)', async () => {
    const { cookie } = await signIn();
    const res = await h.call('PUT', '/tenants/csrf-missing', { auth: false, headers: { Cookie: cookie }, body: demoTenantInput() });
    expect(res.status).toBe(403);
    expect(errorCode(res.json)).toBe('forbidden');
    expect(await h.store.get('csrf-missing')).toBeNull();
  });

  it('refuses a CSRF token that belongs to another session', async () => {
    const a = await signIn();
    const b = await signIn();
    const res = await h.call('DELETE', '/tenants/demo', { auth: false, headers: { Cookie: a.cookie, 'X-CSRF-Token': b.json.csrfToken! } });
    expect(res.status).toBe(403);
    expect(await h.store.get('demo')).not.toBeNull();
  });

  it('answers GET /session with a fresh CSRF token while signed in, and 401 after sign-out', async () => {
    const { cookie } = await signIn();
    const check = await h.call('GET', '/session', { auth: false, headers: { Cookie: cookie } });
    expect(check.status).toBe(200);
    expect(typeof check.json.csrfToken).toBe('string');
    const out = await h.call('DELETE', '/session', { auth: false, headers: { Cookie: cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await h.call('GET', '/session', { auth: false, headers: { Cookie: cookie } })).status).toBe(401);
    expect((await h.call('GET', '/tenants', { auth: false, headers: { Cookie: cookie } })).status).toBe(401);
  });
});

describe('request bodies', () => {
  it('answers invalid JSON with 400', async () => {
    const res = await h.call('PUT', '/tenants/demo', { raw: '{"site": ' });
    expect(res.status).toBe(400);
    expect(errorCode(res.json)).toBe('bad_request');
  });

  it('answers a body over 100 KB with 413 payload_too_large', async () => {
    const res = await h.call('PUT', '/tenants/demo', { body: { ...demoTenantInput(), site: 'x'.repeat(110 * 1024) } });
    expect(res.status).toBe(413);
    expect(errorCode(res.json)).toBe('payload_too_large');
  });

  it('answers an unknown admin route with a JSON 404', async () => {
    const res = await h.call('GET', '/nothing-here');
    expect(res.status).toBe(404);
    expect(errorCode(res.json)).toBe('not_found');
  });
});

describe('rate limits', () => {
  it('limits sign-ins per address with a 429 JSON error and Retry-After', async () => {
    const limited = await startAdminHarness({ limits: { signIn: { windowMs: 60_000, limit: 3 } } });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof signIn>> | undefined;
      for (let i = 0; i < 4; i++) {
        last = await signIn(i === 0 ? adminToken : 'wrong-again', limited);
        statuses.push(last.res.status);
      }
      expect(statuses).toEqual([200, 401, 401, 429]);
      expect(Number(last!.res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(ApiErrorBody.parse(last!.json).error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });

  it('stops an address after too many failed Bearer tokens, but never the right token (issue 10 item 7)', async () => {
    const limited = await startAdminHarness({ limits: { authFailures: { windowMs: 60_000, limit: 2 } } });
    try {
      const wrong = { auth: false, headers: { Authorization: 'Bearer guess' } };
      expect((await limited.call('GET', '/tenants', wrong)).status).toBe(401);
      expect((await limited.call('GET', '/tenants', wrong)).status).toBe(401);
      const blocked = await limited.call('GET', '/tenants', wrong);
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).not.toBeNull();
      // The right token gets through while the address is blocked, again and again…
      for (let i = 0; i < 3; i++) expect((await limited.call('GET', '/tenants')).status).toBe(200);
      // …and does not reset the count for the guesses.
      expect((await limited.call('GET', '/tenants', wrong)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
