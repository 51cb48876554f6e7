import { describe, expect, it } from 'vitest';
import { createAdminSessions, readCookie, secretsEqual } from '../../../server/admin/admin-session.ts';

const adminToken = 'a-long-admin-token-for-tests-0123456789';

describe('admin sessions', async () => {
  it('verifies a cookie it issued and a CSRF token for that session', async () => {
    const sessions = createAdminSessions({ adminToken, secure: true });
    const { cookieValue, csrfToken } = sessions.issue();
    const sid = await sessions.verify(cookieValue);
    expect(sid).not.toBeNull();
    expect(sessions.verifyCsrf(sid!, csrfToken)).toBe(true);
    expect(sessions.verifyCsrf(sid!, sessions.csrfToken(sid!))).toBe(true);
  });

  it('refuses a CSRF token issued for another session', async () => {
    const sessions = createAdminSessions({ adminToken, secure: true });
    const a = sessions.issue();
    const b = sessions.issue();
    expect(sessions.verifyCsrf((await sessions.verify(a.cookieValue))!, b.csrfToken)).toBe(false);
  });

  it('refuses a tampered or foreign cookie', async () => {
    const sessions = createAdminSessions({ adminToken, secure: true });
    const { cookieValue } = sessions.issue();
    const [sid, exp, sig] = cookieValue.split('.');
    expect(await sessions.verify(`${sid}.${Number(exp) + 1000}.${sig}`)).toBeNull();
    const other = createAdminSessions({ adminToken: 'another-admin-token-entirely-987654', secure: true });
    expect(await other.verify(cookieValue)).toBeNull();
  });

  it('refuses an expired cookie', async () => {
    let now = 1_000_000;
    const sessions = createAdminSessions({ adminToken, secure: false, ttlMs: 60_000, now: () => now });
    const { cookieValue } = sessions.issue();
    expect(await sessions.verify(cookieValue)).not.toBeNull();
    now += 61_000;
    expect(await sessions.verify(cookieValue)).toBeNull();
  });

  it('refuses a revoked cookie', async () => {
    const sessions = createAdminSessions({ adminToken, secure: true });
    const { cookieValue } = sessions.issue();
    await sessions.revoke(cookieValue);
    expect(await sessions.verify(cookieValue)).toBeNull();
  });

  it('names the cookie __Host- only when it can be Secure', () => {
    expect(createAdminSessions({ adminToken, secure: true }).cookieName).toMatch(/^__Host-/);
    expect(createAdminSessions({ adminToken, secure: false }).cookieName).not.toMatch(/^__Host-/);
    const opts = createAdminSessions({ adminToken, secure: true }).cookieOptions;
    expect(opts).toMatchObject({ httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
  });
});

describe('helpers', () => {
  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('short', adminToken)).toBe(false);
    expect(secretsEqual(adminToken, adminToken)).toBe(true);
  });

  it('reads one cookie out of a header', () => {
    expect(readCookie('a=1; cwpod_admin=x.y.z; b=2', 'cwpod_admin')).toBe('x.y.z');
    expect(readCookie('a=1', 'cwpod_admin')).toBeUndefined();
    expect(readCookie(undefined, 'cwpod_admin')).toBeUndefined();
  });
});
