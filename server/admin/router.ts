import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ConnectWise } from '../connectwise/connectwise.ts';
import { sendApiError } from '../http/error-handler.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import type { Logger } from '../logger.ts';
import type { TenantStore } from '../tenants/tenant.ts';
import { toAdminError } from './admin-errors.ts';
import { createAdminSessions } from './admin-session.ts';
import { carriesRightCredentials, requireAdmin } from './auth.ts';
import { adminLimiters, defaultAdminLimits, type AdminLimits } from './rate-limits.ts';
import type { LimitStores } from '../http/rate-limits.ts';
import type { SessionRevocations } from './session-revocations.ts';
import { sessionRoutes } from './session-routes.ts';
import { tenantRoutes } from './tenant-routes.ts';
import type { EventStore } from '../events/event-store.ts';
import type { RefusedOriginLog } from '../events/refused-origins.ts';
import { adminEventContext, eventRoutes } from './event-routes.ts';

// zod's English messages ("Invalid input: expected string, received number") for every
// schema, zod/mini ones included: without a locale they all read "Invalid input".
z.config(z.locales.en());

export type AdminConfig = {
  adminToken: string;
  /** The origin ConnectWise reaches this server at; https makes the session cookie Secure. */
  publicUrl: string;
  cwClientId?: string | undefined;
  allowPrivateNetwork: boolean;
  demo: boolean;
  /** GET /metrics' own token: the shared failure limiter never holds it back either. */
  metricsToken?: string | undefined;
};

export type AdminRouterOptions = {
  store: TenantStore;
  connectwise: ConnectWise;
  config: AdminConfig;
  logger?: Logger | undefined;
  /** Overrides of the rate limits (tests). */
  limits?: Partial<AdminLimits>;
  /** Time box of each connection-test step (tests). */
  stepTimeoutMs?: number;
  // Issue 11: the events view and the addresses refused as pod hosts.
  events?: EventStore | undefined;
  refusedOrigins?: RefusedOriginLog | undefined;
  /** Where console sign-outs are remembered (the database; memory when omitted). */
  revocations?: SessionRevocations;
  /** Shared limit counters when several instances serve. */
  limitStores?: LimitStores;
};

const isBodyParserError = (err: unknown): err is { type: string } =>
  typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string';

/**
 * The admin API, mounted by the app at /api/admin (routes in shared/admin-api.ts). Every
 * route needs the admin token as a Bearer header, or the console's session cookie plus its
 * CSRF header on state-changing requests. Answers errors itself, as ApiErrorBody JSON.
 */
export function createAdminRouter(options: AdminRouterOptions): Router & { authFailures: RequestHandler } {
  const { config } = options;
  const sessions = createAdminSessions({
    adminToken: config.adminToken,
    secure: new URL(config.publicUrl).protocol === 'https:',
    ...(options.revocations !== undefined ? { revocations: options.revocations } : {}),
  });
  const tokens = [config.adminToken, ...(config.metricsToken !== undefined ? [config.metricsToken] : [])];
  const limiters = adminLimiters({ ...defaultAdminLimits, ...options.limits }, carriesRightCredentials({ tokens, sessions }), options.limitStores);
  const json = express.json({ limit: '100kb' });
  const router = Router();

  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use(limiters.authFailures, limiters.api);
  router.use(
    sessionRoutes({ adminToken: config.adminToken, sessions, signInLimiter: limiters.signIn, json, logger: options.logger }),
  );
  router.use(requireAdmin({ adminToken: config.adminToken, sessions }));
  router.use(json);
  if (options.events !== undefined) {
    router.use(adminEventContext());
    router.use(eventRoutes({ store: options.store, events: options.events }));
  }
  router.use(
    tenantRoutes({
      store: options.store,
      connectwise: options.connectwise,
      publicUrl: config.publicUrl,
      cwClientId: config.cwClientId,
      logger: options.logger,
      stepTimeoutMs: options.stepTimeoutMs,
      // A local test (private networks, or the demo's simulator) may register an http origin.
      allowInsecureOrigin: config.allowPrivateNetwork || config.demo,
      refusedOrigins: options.refusedOrigins,
    }),
  );
  router.use((req, _res, next) => {
    next(new ApiError('not_found', `No admin route ${req.method} ${req.baseUrl}${req.path}.`));
  });

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    let apiError = toAdminError(err);
    if (apiError === undefined && isBodyParserError(err)) {
      if (err.type === 'entity.too.large') apiError = new ApiError('payload_too_large', 'The request body is larger than 100 KB.');
      else if (err.type === 'entity.parse.failed') apiError = new ApiError('bad_request', 'The request body is not valid JSON.');
      else apiError = new ApiError('bad_request', 'The request body must be UTF-8 JSON.', { status: 415 });
    }
    if (apiError === undefined) {
      options.logger?.error({ err, requestId: res.locals.requestId, path: req.path }, 'admin request failed');
      apiError = new ApiError('internal_error', 'Something went wrong on the pod server. Try again; if it persists, check its logs.');
    } else if (apiError.status >= 500) {
      options.logger?.warn({ code: apiError.code, status: apiError.status, requestId: res.locals.requestId, path: req.path }, 'admin request failed');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendApiError(res, apiError);
  };
  router.use(onError);
  // GET /metrics counts its failures in the same limiter (app.ts).
  return Object.assign(router, { authFailures: limiters.authFailures as RequestHandler });
}
