import { describe, expect, it } from 'vitest';
import { createAdminSessions, readCookie, secretsEqual } from '../../../server/admin/admin-session.ts';

const adminToken = 'a-long-admin-token-for-tests-0123456789';

describe('admin sessions', () => {
  it('verifies a cookie it issued and a CSRF token for that session', () => {
    const sessions = createAdminSessions({ adminToken, secure: true });
    const { cookieValue, csrfToken } = sessions.issue();
    const sid = sessions.verify(cookieValue);
    expect(sid).not.toBeNull();
    expect(sessions.verifyCsrf(sid!, csrfToken)).toBe(true);
    expect(sessions.verifyCsrf(sid!, sessions.csrfToken(sid!))).toBe(true);
  });

  it('refuses a CSRF token issued for another session', () => {
    const sessions = createAdminSessions({ adminToken, secure: true });
    const a = sessions.issue();
    const b = sessions.issue();
    expect(sessions.verifyCsrf(sessions.verify(a.cookieValue)!, b.csrfToken)).toBe(false);
  });

  it('refuses a tampered or foreign cookie', () => {
    const sessions = createAdminSessions({ adminToken, secure: true });
    const { cookieValue } = sessions.issue();
    const [sid, exp, sig] = cookieValue.split('.');
    expect(sessions.verify(`${sid}.${Number(exp) + 1000}.${sig}`)).toBeNull();
    const other = createAdminSessions({ adminToken: 'another-admin-token-entirely-987654', secure: true });
    expect(other.verify(cookieValue)).toBeNull();
  });

  it('refuses an expired cookie', () => {
    let now = 1_000_000;
    const sessions = createAdminSessions({ adminToken, secure: false, ttlMs: 60_000, now: () => now });
    const { cookieValue } = sessions.issue();
    expect(sessions.verify(cookieValue)).not.toBeNull();
    now += 61_000;
    expect(sessions.verify(cookieValue)).toBeNull();
  });

  it('refuses a revoked cookie', () => {
    const sessions = createAdminSessions({ adminToken, secure: true });
    const { cookieValue } = sessions.issue();
    sessions.revoke(cookieValue);
    expect(sessions.verify(cookieValue)).toBeNull();
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
