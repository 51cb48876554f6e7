import compression from 'compression';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { AppConfig } from './config.ts';
import type { Logger } from './logger.ts';
import type { Tenant, TenantStore } from './tenants/tenant.ts';
import type { ConnectWise } from './connectwise/connectwise.ts';
import type { TicketContextLoader } from './ticket-context/loader.ts';
import type { SessionTokens } from './session/token.ts';
import type { WebRoot } from './web/web-root.ts';
import type { Metrics } from './metrics/metrics.ts';
import { accessLog } from './http/access-log.ts';
import type { LimitStores } from './http/rate-limits.ts';
import { errorHandler, type ErrorMapper } from './http/error-handler.ts';
import { requestId } from './http/request-id.ts';
import { securityHeaders } from './http/security-headers.ts';
import { healthRouter } from './routes/health.ts';
import { metricsRouter } from './routes/metrics.ts';
import { requestMetrics } from './http/request-metrics.ts';
import { podPageRouter } from './routes/pod-page.ts';
import { podApiRouter } from './routes/pod-api/index.ts';
import { webPagesRouter } from './routes/web-pages.ts';
import { notFound } from './routes/not-found.ts';
import { createWarmUp } from './ticket-context/warm-up.ts';
import { tenantConnection } from './tenant-connection.ts';
import type { EventStore } from './events/event-store.ts';
import type { RefusedOriginLog } from './events/refused-origins.ts';
import { observePodFailure, podEventContext } from './events/pod-events.ts';
import { withEventContext } from './events/event-context.ts';
import { cspReportPath, cspReportRouter } from './routes/csp-report.ts';

export type AppDeps = {
  config: Pick<AppConfig, 'publicUrl' | 'cwClientId' | 'adminToken' | 'trustProxy'> & Partial<Pick<AppConfig, 'warmUpOnPageLoad' | 'metricsToken'>>;
  metrics: Metrics;
  logger: Logger;
  store: TenantStore;
  /** Readiness beyond the store's ping (draining on SIGTERM); default: the store's ping. */
  ready?: () => boolean | Promise<boolean>;
  connectwise: ConnectWise;
  loader: TicketContextLoader;
  tokens: SessionTokens;
  web: WebRoot;
  /** The admin API router, mounted at /api/admin; /metrics shares its failure limiter. */
  admin?: Router & { authFailures?: RequestHandler };
  /** Domain errors → API errors (ConnectWise, ticket context, session…). */
  errorMappers: ErrorMapper[];
  /** Demo mode: the developer harness's URL, linked from the pod opened outside a frame. */
  harnessUrl?: string;
  // Issue 11: the admin's events view and the addresses refused as pod hosts (none: not recorded).
  events?: EventStore;
  refusedOrigins?: RefusedOriginLog;
  /** Shared limit counters when several instances serve (PostgreSQL); memory otherwise. */
  limitStores?: LimitStores;
};

/** The Express app, without listen(): tests run it on a real port, main.ts in production. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Every JSON answer is no-store, so an ETag (a SHA-1 of each body) would buy nothing and
  // cost the hottest route a hash per request; the static files keep their own ETags.
  app.set('etag', false);
  app.set('query parser', 'simple');
  // req.ip must be the client, not the TLS proxy in front, or per-IP limits lump everyone together.
  app.set('trust proxy', deps.config.trustProxy);
  app.use(requestId());
  app.use(accessLog(deps.logger));
  app.use(requestMetrics(deps.metrics));
  app.use(securityHeaders({ publicUrl: deps.config.publicUrl }));
  // A ticket context is tens of kB of JSON; gzip makes it a few. Tiny answers stay plain.
  app.use(compression({ threshold: 1024 }));

  const warmUp = createWarmUp({ loader: deps.loader, onOutcome: (kind, outcome) => deps.metrics.warmUp(kind, outcome) });

  const { events, refusedOrigins } = deps;

  app.use(healthRouter({ ready: deps.ready ?? (() => deps.store.ping()) }));
  app.use(
    metricsRouter({
      metrics: deps.metrics,
      adminToken: deps.config.adminToken,
      metricsToken: deps.config.metricsToken,
      failureLimiter: deps.admin?.authFailures,
    }),
  );
  if (events !== undefined) {
    app.use(cspReportRouter({ store: deps.store, onBlockedFraming: (tenant, n) => events.count(tenant.companyId, 'blockedFramings', n) }));
  }
  app.use(
    podPageRouter({
      store: deps.store,
      web: deps.web,
      publicUrl: deps.config.publicUrl,
      onServed: (tenant) => {
        deps.metrics.funnel(tenant.companyId, 'page_served');
        events?.count(tenant.companyId, 'pagesServed');
      },
      ...(deps.config.warmUpOnPageLoad !== false
        ? {
            warmUp: (tenant: Tenant, ticketId: number) =>
              withEventContext({ companyId: tenant.companyId, trigger: 'page' }, () =>
                warmUp.page(tenantConnection(tenant, deps.config.cwClientId), ticketId),
              ),
          }
        : {}),
      onRefused: (tenant, origin, record) => {
        if (record) refusedOrigins?.record(tenant.companyId, origin);
        events?.count(tenant.companyId, 'refusedFramings');
        events?.failure(tenant.companyId, { at: new Date().toISOString(), code: 'origin_not_allowed', member: null, ticket: null });
      },
      ...(events !== undefined ? { reportUri: cspReportPath } : {}),
      ...(deps.harnessUrl !== undefined ? { harnessUrl: deps.harnessUrl } : {}),
      ...(deps.limitStores !== undefined ? { limitStores: deps.limitStores } : {}),
    }),
  );
  if (events !== undefined) app.use('/api/pod', podEventContext());
  app.use(
    podApiRouter({
      ...(deps.limitStores !== undefined ? { limitStores: deps.limitStores } : {}),
      store: deps.store,
      connectwise: deps.connectwise,
      tokens: deps.tokens,
      loader: deps.loader,
      defaultClientId: deps.config.cwClientId,
      warmUp,
      funnel: {
        verified: (tenant) => {
          deps.metrics.funnel(tenant.companyId, 'session_verified');
          events?.count(tenant.companyId, 'verified');
        },
        contextServed: (tenant) => {
          deps.metrics.funnel(tenant.companyId, 'context_served');
          events?.count(tenant.companyId, 'contextServed');
        },
      },
    }),
  );
  if (deps.admin !== undefined) app.use('/api/admin', deps.admin);
  app.use(webPagesRouter({ web: deps.web }));
  app.use(notFound());

  app.use(
    errorHandler({
      logger: deps.logger,
      mappers: deps.errorMappers,
      ...(events !== undefined ? { onError: observePodFailure(events) } : {}),
    }),
  );
  return app;
}
