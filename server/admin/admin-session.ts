import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions } from 'express';
import { memorySessionRevocations, type SessionRevocations } from './session-revocations.ts';

/**
 * The admin console's sign-in session: a signed, httpOnly cookie plus a CSRF token the
 * console holds in memory and sends as `X-CSRF-Token` on every state-changing request.
 *
 * Why a signed (HMAC) CSRF token rather than a plain double-submit cookie: the token is bound
 * to the session id with a server key, so an attacker who can plant a cookie (a sibling
 * subdomain, a man-in-the-middle on http) still cannot mint a token that matches it; and the
 * console never needs to read a cookie (all cookies stay httpOnly). Both cookie and token are
 * stateless, so a restart or a second instance keeps sessions; the key is derived from
 * ADMIN_TOKEN, so rotating the admin token signs every console out. A sign-out is the one
 * piece of state: it is kept in the database (./session-revocations.ts), so it holds on every
 * instance and after a restart.
 */

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export type AdminSessions = {
  cookieName: string;
  cookieOptions: CookieOptions;
  /** A new session: the cookie's value and a CSRF token for it. */
  issue(): { cookieValue: string; csrfToken: string };
  /** The session id of a valid, unexpired, unrevoked cookie, or null. */
  verify(cookieValue: string | undefined): Promise<string | null>;
  /** A fresh CSRF token for a session (each one is valid for the session's life). */
  csrfToken(sessionId: string): string;
  verifyCsrf(sessionId: string, token: string | undefined): boolean;
  /** Signs a session out before its expiry, on every instance (the cookie is cleared too). */
  revoke(cookieValue: string | undefined): Promise<void>;
};

const b64url = (buf: Buffer) => buf.toString('base64url');

/** Equal-time comparison of two strings of any length: hash both, then timingSafeEqual. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function createAdminSessions(options: {
  adminToken: string;
  secure: boolean;
  ttlMs?: number;
  now?: () => number;
  /** Where sign-outs are remembered (default: this process's memory). */
  revocations?: SessionRevocations;
}): AdminSessions {
  const ttlMs = options.ttlMs ?? SESSION_TTL_MS;
  const now = options.now ?? Date.now;
  const key = createHmac('sha256', options.adminToken).update('connectwise-pod admin session v1').digest();
  const mac = (text: string) => b64url(createHmac('sha256', key).update(text).digest());
  const revocations = options.revocations ?? memorySessionRevocations();

  // "__Host-" makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
  const cookieName = options.secure ? '__Host-cwpod_admin' : 'cwpod_admin';
  const cookieOptions: CookieOptions = {
    httpOnly: true,
    secure: options.secure,
    sameSite: 'strict',
    path: '/',
    maxAge: ttlMs,
  };

  function parse(cookieValue: string | undefined): { sid: string; exp: number } | null {
    if (cookieValue === undefined || cookieValue.length > 200) return null;
    const parts = cookieValue.split('.');
    if (parts.length !== 3) return null;
    const [sid, expText, sig] = parts as [string, string, string];
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(sid) || !/^\d{1,12}$/.test(expText)) return null;
    if (!secretsEqual(sig, mac(`s|${sid}|${expText}`))) return null;
    return { sid, exp: Number(expText) };
  }

  function csrfToken(sessionId: string): string {
    const nonce = b64url(randomBytes(12));
    return `${nonce}.${mac(`c|${sessionId}|${nonce}`)}`;
  }

  return {
    cookieName,
    cookieOptions,
    issue() {
      const sid = b64url(randomBytes(24));
      const exp = Math.floor((now() + ttlMs) / 1000);
      return { cookieValue: `${sid}.${exp}.${mac(`s|${sid}|${exp}`)}`, csrfToken: csrfToken(sid) };
    },
    async verify(cookieValue) {
      const parsed = parse(cookieValue);
      if (parsed === null) return null;
      if (parsed.exp * 1000 <= now()) return null;
      if (await revocations.isRevoked(parsed.sid)) return null;
      return parsed.sid;
    },
    csrfToken,
    verifyCsrf(sessionId, token) {
      if (token === undefined || token.length > 200) return false;
      const parts = token.split('.');
      if (parts.length !== 2) return false;
      const [nonce, sig] = parts as [string, string];
      if (!/^[A-Za-z0-9_-]{8,32}$/.test(nonce)) return false;
      return secretsEqual(sig, mac(`c|${sessionId}|${nonce}`));
    },
    async revoke(cookieValue) {
      const parsed = parse(cookieValue);
      if (parsed === null) return;
      await revocations.revoke(parsed.sid, parsed.exp);
    },
  };
}

/** The value of one cookie from a Cookie header (no cookie-parser needed for one name). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
