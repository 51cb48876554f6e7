import { createHash } from 'node:crypto';
import { ipKeyGenerator, rateLimit, type Options, type RateLimitRequestHandler, type Store } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import { ApiError } from './errors/ApiError.ts';
import { sendApiError } from './error-handler.ts';

/**
 * Per-IP limits alone would throttle a whole service desk behind one office NAT, so the pod's
 * limits key on the member or the session where there is one, and keep a looser per-IP
 * ceiling as a backstop (engineering.md §1.7).
 */

/**
 * Where each limit keeps its counters, by the limit's name: undefined means this process's
 * memory (one instance); with PostgreSQL every limit counts across all instances
 * (./postgres-rate-limit-store.ts). Each limit needs its own store object.
 */
export type LimitStores = (name: string) => Store | undefined;

type LimitOptions = {
  windowMs: number;
  /** Shared counters (see LimitStores); this process's memory when omitted. */
  store?: Store | undefined;
  limit: number;
  key?: (req: Request) => string | undefined;
  /** Count only failed attempts (verification throttling). */
  failuresOnly?: boolean;
  /** Requests this limit does not apply to (not counted). */
  skip?: (req: Request) => boolean;
} & (
  | { message: string }
  /** Past the limit, this runs instead of a 429 (for limits that only turn an extra off). */
  | { onLimit: RequestHandler }
);

export function limiter(options: LimitOptions): RateLimitRequestHandler {
  const config: Partial<Options> = {
    windowMs: options.windowMs,
    limit: options.limit,
    // A limit that only turns an extra off tells the client nothing.
    standardHeaders: 'onLimit' in options ? false : 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: options.failuresOnly ?? false,
    keyGenerator: (req) => options.key?.(req) ?? ipKeyGenerator(req.ip ?? 'unknown'),
    ...(options.skip !== undefined ? { skip: options.skip } : {}),
    ...(options.store !== undefined ? { store: options.store } : {}),
    handler: (req, res, next) => {
      if ('onLimit' in options) return options.onLimit(req, res, next);
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : Math.ceil(options.windowMs / 1000);
      sendApiError(res, new ApiError('rate_limited', options.message, { retryAfter }));
    },
  };
  return rateLimit(config);
}

export const byIp = (req: Request) => `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;

/** Longest key a limiter may keep (its store holds one per key for a whole window). */
export const MAX_LIMITER_KEY_LENGTH = 64;

/**
 * A short limiter key from values a caller chose: a kind, then a digest of the parts
 * (case-folded), so no request can make the store keep more than a few dozen bytes per key.
 */
export function hashedKey(kind: string, ...parts: string[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(parts.map((p) => p.toLowerCase())))
    .digest('base64url')
    .slice(0, 22);
  return `${kind}:${digest}`;
}

/** The member a session request claims, for throttling failed verifications per member. */
export function byClaimedMember(req: Request): string | undefined {
  const body = req.body as { memberid?: unknown } | undefined;
  const companyId = String(req.params.companyId ?? '');
  if (typeof body?.memberid !== 'string' || body.memberid.length > 100 || companyId.length > 100) return undefined;
  return hashedKey('member', companyId, body.memberid);
}
