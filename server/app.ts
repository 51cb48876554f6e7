import compression from 'compression';
import express, { type Express, type Router } from 'express';
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

export type AppDeps = {
  config: Pick<AppConfig, 'publicUrl' | 'cwClientId' | 'adminToken' | 'trustProxy'> & Partial<Pick<AppConfig, 'warmUpOnPageLoad'>>;
  metrics: Metrics;
  logger: Logger;
  store: TenantStore;
  /** Readiness beyond the store's ping (draining on SIGTERM); default: the store's ping. */
  ready?: () => boolean | Promise<boolean>;
  connectwise: ConnectWise;
  loader: TicketContextLoader;
  tokens: SessionTokens;
  web: WebRoot;
  /** The admin API router, mounted at /api/admin. */
  admin?: Router;
  /** Domain errors → API errors (ConnectWise, ticket context, session…). */
  errorMappers: ErrorMapper[];
  /** Demo mode: the developer harness's URL, linked from the pod opened outside a frame. */
  harnessUrl?: string;
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

  app.use(healthRouter({ ready: deps.ready ?? (() => deps.store.ping()) }));
  app.use(metricsRouter({ metrics: deps.metrics, adminToken: deps.config.adminToken }));
  app.use(
    podPageRouter({
      store: deps.store,
      web: deps.web,
      publicUrl: deps.config.publicUrl,
      onServed: (tenant) => deps.metrics.funnel(tenant.companyId, 'page_served'),
      ...(deps.config.warmUpOnPageLoad !== false
        ? { warmUp: (tenant: Tenant, ticketId: number) => warmUp.page(tenantConnection(tenant, deps.config.cwClientId), ticketId) }
        : {}),
      ...(deps.harnessUrl !== undefined ? { harnessUrl: deps.harnessUrl } : {}),
      ...(deps.limitStores !== undefined ? { limitStores: deps.limitStores } : {}),
    }),
  );
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
        verified: (tenant) => deps.metrics.funnel(tenant.companyId, 'session_verified'),
        contextServed: (tenant) => deps.metrics.funnel(tenant.companyId, 'context_served'),
      },
    }),
  );
  if (deps.admin !== undefined) app.use('/api/admin', deps.admin);
  app.use(webPagesRouter({ web: deps.web }));
  app.use(notFound());

  app.use(errorHandler({ logger: deps.logger, mappers: deps.errorMappers }));
  return app;
}
