import express, { Router } from 'express';
import type { TenantStore, Tenant } from '../../tenants/tenant.ts';
import type { ConnectWise } from '../../connectwise/connectwise.ts';
import type { SessionClaims, SessionTokens } from '../../session/token.ts';
import type { TicketContextLoader } from '../../ticket-context/loader.ts';
import type { WarmUp } from '../../ticket-context/warm-up.ts';
import { ApiError } from '../../http/errors/ApiError.ts';
import { CompanyId } from '../../../shared/pod-api.ts';
import { byClaimedMember, byIp, hashedKey, limiter, type LimitStores } from '../../http/rate-limits.ts';
import { loadTenant } from './load-tenant.ts';
import { requireSession } from './require-session.ts';
import { ticketAgreements } from './agreements.ts';
import { createSession } from './session.ts';
import { ticketContext, ticketSummary } from './ticket-context.ts';
import { ticketSolvedBefore } from './solved-before.ts';
import { createSolvedBefore, type SolvedBeforeService } from '../../solved-before/solved-before.ts';

export type PodApiDeps = {
  store: TenantStore;
  connectwise: ConnectWise;
  tokens: SessionTokens;
  loader: TicketContextLoader;
  defaultClientId: string | undefined;
  /** Starts the ticket's reads once a session naming it is verified. */
  warmUp?: WarmUp;
  funnel?: { verified(tenant: Tenant): void; contextServed(tenant: Tenant): void };
  /** Shared limit counters when several instances serve (every limit here is shared then). */
  limitStores?: LimitStores;
  /** Solved before (issue 15); one per router by default, so its cache is the process's. */
  solvedBefore?: SolvedBeforeService;
};

const MINUTE = 60_000;

/** The pod's own API, same origin as the pod page. */
export function podApiRouter(deps: PodApiDeps): Router {
  const router = Router();
  const base = '/api/pod/:companyId';
  const store = (name: string) => deps.limitStores?.(name);

  // Before any limiter: a company id that cannot exist is answered at once, so no limiter
  // ever keys on (or keeps) whatever a caller put in the path.
  router.param('companyId', (_req, _res, next, value: unknown) => {
    if (CompanyId.safeParse(value).success) next();
    else next(new ApiError('not_configured', 'This ConnectWise company is not set up for the pod. An admin adds it in the pod admin console.'));
  });

  router.post(
    `${base}/session`,
    limiter({ windowMs: MINUTE, limit: 60, key: byIp, store: store('pod-sign-in-ip'), message: 'Too many sign-ins from this address. Wait a moment, then retry.' }),
    // The member-auth payload is well under 8 kB; anything bigger is not ConnectWise's.
    express.json({ limit: '16kb', type: () => true }),
    limiter({
      windowMs: 15 * MINUTE,
      limit: 10,
      key: byClaimedMember,
      store: store('pod-verify-member'),
      failuresOnly: true,
      message: 'Too many failed verifications for this member. Wait a few minutes, then sign in to ConnectWise again.',
    }),
    limiter({
      windowMs: 15 * MINUTE,
      limit: 30,
      key: byIp,
      store: store('pod-verify-ip'),
      failuresOnly: true,
      message: 'Too many failed verifications from this address. Wait a few minutes, then retry.',
    }),
    loadTenant(deps.store),
    createSession({
      connectwise: deps.connectwise,
      tokens: deps.tokens,
      defaultClientId: deps.defaultClientId,
      onVerified: (t) => deps.funnel?.verified(t),
      ...(deps.warmUp !== undefined ? { warmUp: deps.warmUp } : {}),
    }),
  );

  const sessionLimited = limiter({
    windowMs: MINUTE,
    limit: 120,
    store: store('pod-session'),
    key: (req) => {
      const s = req.res?.locals.session as SessionClaims | undefined;
      return s ? hashedKey('session', s.companyId, s.member.identifier) : undefined;
    },
    message: 'Too many requests from this pod. Wait a moment, then refresh.',
  });
  const routeDeps = {
    loader: deps.loader,
    defaultClientId: deps.defaultClientId,
    onServed: (t: Tenant) => deps.funnel?.contextServed(t),
  };
  const guard = [loadTenant(deps.store), requireSession(deps.tokens), sessionLimited];
  router.get(`${base}/tickets/:ticketId`, ...guard, ticketContext(routeDeps));
  router.get(`${base}/tickets/:ticketId/summary`, ...guard, ticketSummary(routeDeps));
  router.get(`${base}/tickets/:ticketId/agreements`, ...guard, ticketAgreements(routeDeps));
  const solvedBefore = deps.solvedBefore ?? createSolvedBefore({ connectwise: deps.connectwise, loader: deps.loader });
  router.get(`${base}/tickets/:ticketId/solved-before`, ...guard, ticketSolvedBefore({ ...routeDeps, solvedBefore }));

  router.all('/api/pod/{*rest}', (_req, _res, next) => {
    next(new ApiError('bad_request', 'No such pod API route.', { status: 404 }));
  });
  return router;
}
