import type { Request, RequestHandler } from 'express';
import { ApiError } from '../http/errors/ApiError.ts';
import { readCookie, secretsEqual, type AdminSessions } from './admin-session.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AdminAuthKind = 'bearer' | 'session';

/** The token of an `Authorization: Bearer <token>` header; '' for another scheme; null without the header. */
export function bearerTokenOf(req: Request): string | null {
  const authorization = req.get('authorization');
  if (authorization === undefined) return null;
  return /^Bearer[ ]+(\S+)\s*$/i.exec(authorization)?.[1] ?? '';
}

/**
 * Whether a request carries credentials the server accepts: one of `tokens` as a Bearer
 * header or, without that header, a valid console session. The failure limiter skips these.
 */
export function carriesRightCredentials(options: { tokens: readonly string[]; sessions: AdminSessions }): (req: Request) => Promise<boolean> {
  return async (req) => {
    const token = bearerTokenOf(req);
    if (token !== null) return token !== '' && options.tokens.some((t) => secretsEqual(token, t));
    try {
      return (await options.sessions.verify(readCookie(req.get('cookie'), options.sessions.cookieName))) !== null;
    } catch {
      // The database is unreachable: not proven right, so counted like any other request.
      return false;
    }
  };
}

/**
 * Admits a request carrying `Authorization: Bearer <ADMIN_TOKEN>` (scripts, curl: browsers
 * never attach it on their own, so no CSRF check is needed) or the console's session cookie,
 * which on a state-changing method also needs a valid `X-CSRF-Token`.
 */
export function requireAdmin(options: { adminToken: string; sessions: AdminSessions }): RequestHandler {
  return async (req, res, next) => {
    const token = bearerTokenOf(req);
    if (token !== null) {
      if (token === '' || !secretsEqual(token, options.adminToken)) {
        next(new ApiError('unauthorized', 'The admin token is wrong. Send Authorization: Bearer <ADMIN_TOKEN>, or sign in to the console again.'));
        return;
      }
      res.locals.adminAuth = 'bearer' satisfies AdminAuthKind;
      next();
      return;
    }
    let sessionId: string | null;
    try {
      sessionId = await options.sessions.verify(readCookie(req.get('cookie'), options.sessions.cookieName));
    } catch (error) {
      next(error);
      return;
    }
    if (sessionId === null) {
      next(new ApiError('unauthorized', 'Sign in to the admin console (or send Authorization: Bearer <ADMIN_TOKEN>).'));
      return;
    }
    if (!safeMethods.has(req.method) && !options.sessions.verifyCsrf(sessionId, req.get('x-csrf-token'))) {
      next(new ApiError('forbidden', 'The X-CSRF-Token header is missing or wrong. Reload the console and try again.'));
      return;
    }
    res.locals.adminAuth = 'session' satisfies AdminAuthKind;
    res.locals.adminSessionId = sessionId;
    next();
  };
}
