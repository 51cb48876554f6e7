import type { Request, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitRequestHandler, type Store } from 'express-rate-limit';
import type { LimitStores } from '../http/rate-limits.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import { sendApiError } from '../http/error-handler.ts';

export type AdminLimits = {
  /** Console sign-ins per IP (every attempt counts). */
  signIn: { windowMs: number; limit: number };
  /**
   * Failed authentications (401) per IP, on any admin route and GET /metrics: the brute-force
   * brake for Bearer tokens. Only failures count, and a request carrying the right token (or
   * a valid console session) is never held back by it: behind a NAT, strangers' guesses must
   * not lock the admin out.
   */
  authFailures: { windowMs: number; limit: number };
  /** Every admin request per IP: loose, for runaway scripts. */
  api: { windowMs: number; limit: number };
};

export const defaultAdminLimits: AdminLimits = {
  signIn: { windowMs: 15 * 60_000, limit: 10 },
  authFailures: { windowMs: 15 * 60_000, limit: 30 },
  api: { windowMs: 5 * 60_000, limit: 600 },
};

function retryAfterSeconds(req: Request, res: Response, windowMs: number): number {
  const header = Number(res.getHeader('Retry-After'));
  if (Number.isFinite(header) && header > 0) return header;
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  return reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : Math.ceil(windowMs / 1000);
}

function make(
  opts: { windowMs: number; limit: number },
  message: string,
  store: Store | undefined,
  countOnly?: (req: Request, res: Response) => boolean,
  skip?: (req: Request) => boolean | Promise<boolean>,
): RateLimitRequestHandler {
  return rateLimit({
    ...(store !== undefined ? { store } : {}),
    windowMs: opts.windowMs,
    limit: opts.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    ...(countOnly !== undefined
      ? { skipSuccessfulRequests: true, requestWasSuccessful: (req: Request, res: Response) => !countOnly(req, res) }
      : {}),
    ...(skip !== undefined ? { skip } : {}),
    handler: (req, res) => {
      sendApiError(res, new ApiError('rate_limited', message, { retryAfter: retryAfterSeconds(req, res, opts.windowMs) }));
    },
  });
}

/** The failure limiter alone: the admin router and GET /metrics share one (server/start.ts). */
export function authFailureLimiter(
  limit: AdminLimits['authFailures'],
  /** True when the request carries the right credentials: it is neither counted nor refused. */
  isAuthorised: (req: Request) => boolean | Promise<boolean>,
  /** Shared counters when several instances serve. */
  store?: Store,
): RateLimitRequestHandler {
  return make(
    limit,
    'Too many failed admin authentications from this address. Wait, then try again.',
    store,
    (_req, res) => res.statusCode === 401,
    isAuthorised,
  );
}

/** `stores`: shared counters when several instances serve (all three limits are shared then). */
export function adminLimiters(limits: AdminLimits, isAuthorised: (req: Request) => boolean | Promise<boolean>, stores?: LimitStores) {
  return {
    signIn: make(limits.signIn, 'Too many sign-in attempts from this address. Wait, then try again.', stores?.('admin-sign-in')),
    authFailures: authFailureLimiter(limits.authFailures, isAuthorised, stores?.('admin-auth-failures')),
    api: make(limits.api, 'Too many admin requests from this address. Wait a moment, then try again.', stores?.('admin-api')),
  };
}
