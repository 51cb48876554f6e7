import { Router, type RequestHandler } from 'express';
import type * as zm from 'zod/mini';
import { AdminSignIn, type CsrfToken } from '../../shared/admin-api.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import type { Logger } from '../logger.ts';
import { readCookie, secretsEqual, type AdminSessions } from './admin-session.ts';
import { parseBody } from './validation.ts';

/**
 * The console's sign-in: POST /session trades the admin token for an httpOnly session cookie
 * and a CSRF token; GET /session tells the console whether it is signed in (with a fresh CSRF
 * token, since the console keeps it in memory only and loses it on reload); DELETE signs out.
 */
export function sessionRoutes(options: {
  adminToken: string;
  sessions: AdminSessions;
  signInLimiter: RequestHandler;
  json: RequestHandler;
  logger?: Logger | undefined;
}): Router {
  const { sessions } = options;
  const router = Router();

  router.post('/session', options.signInLimiter, options.json, (req, res) => {
    const { token } = parseBody(AdminSignIn, req.body);
    if (!secretsEqual(token, options.adminToken)) {
      options.logger?.warn({ ip: req.ip }, 'admin sign-in refused');
      throw new ApiError('unauthorized', 'That is not the admin token.');
    }
    const issued = sessions.issue();
    res.cookie(sessions.cookieName, issued.cookieValue, sessions.cookieOptions);
    options.logger?.info({ ip: req.ip }, 'admin signed in');
    res.json({ csrfToken: issued.csrfToken } satisfies zm.infer<typeof CsrfToken>);
  });

  router.get('/session', async (req, res) => {
    const sessionId = await sessions.verify(readCookie(req.get('cookie'), sessions.cookieName));
    if (sessionId === null) throw new ApiError('unauthorized', 'Not signed in.');
    res.json({ csrfToken: sessions.csrfToken(sessionId) } satisfies zm.infer<typeof CsrfToken>);
  });

  // No CSRF token needed: the worst a forged sign-out does is sign the admin out.
  router.delete('/session', async (req, res) => {
    await sessions.revoke(readCookie(req.get('cookie'), sessions.cookieName));
    const { maxAge: _maxAge, ...clear } = sessions.cookieOptions;
    res.clearCookie(sessions.cookieName, clear);
    res.status(204).end();
  });

  return router;
}
