import { publicUrlWarning } from '../shared/public-url.ts';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { createApp } from './app.ts';
import { openStorage } from './storage.ts';
import { withTenantCache } from './tenants/cached-store.ts';
import { createConnectWise, type ConnectWiseOptions } from './connectwise/connectwise.ts';
import { createTicketContextLoader } from './ticket-context/loader.ts';
import { createReferenceData } from './ticket-context/reference-data.ts';
import { createSessionTokens, sessionKeyFrom } from './session/token.ts';
import { createAdminRouter } from './admin/router.ts';
import { openWebRoot } from './web/web-root.ts';
import { createMetrics } from './metrics/metrics.ts';
import { podErrorMappers } from './pod-error-mappers.ts';
import { createSimulatedConnectWise, type Sim } from './simulated-connectwise/simulator.ts';
import { startSimulatedConnectWiseServer } from './simulated-connectwise/http-server.ts';
import { seedDemoTenant } from './demo/seed-demo-tenant.ts';
import { createMemoryEventStore } from './events/event-store.ts';
import { createMemoryRefusedOriginLog } from './events/refused-origins.ts';
import { recordConnectWiseCall } from './events/record-call.ts';

export type RunningPodServer = {
  /** The public URL (PUBLIC_URL); tests pick a free port and pass it explicitly. */
  url: string;
  /** 'postgres' with DATABASE_URL, 'sqlite' otherwise. */
  database: 'sqlite' | 'postgres';
  port: number;
  server: Server;
  simulator?: { origin: string; nilearOrigin: string; harnessUrl: string; sim: Sim };
  close(options?: { graceMs?: number }): Promise<void>;
};

type StartOptions = {
  config: AppConfig;
  logger: Logger;
  webDir: string;
  /** DNS for the SSRF guard (tests map fake cloud hosts); the system resolver otherwise. */
  lookup?: ConnectWiseOptions['lookup'];
};

/**
 * Opens the store, starts the simulated ConnectWise in demo mode, wires the app and
 * listens. Returns a handle whose close() stops accepting, lets requests in flight finish
 * (up to graceMs), then closes the store.
 */
export async function startPodServer(options: StartOptions): Promise<RunningPodServer> {
  const { config, logger } = options;
  // Technicians' browsers will not frame an http pod inside ConnectWise's https pages.
  const httpsWarning = publicUrlWarning(config.publicUrl);
  if (httpsWarning !== null) logger.warn({ publicUrl: config.publicUrl }, httpsWarning);
  const storage = await openStorage(config, { logger });
  // On PostgreSQL, other instances' writes clear entries through the change feed; the TTL is
  // the backstop for a change missed while the feed reconnects.
  const store = withTenantCache(storage.tenants, { ttlMs: 5_000 });
  // Set on close(): /readyz fails at once, so a load balancer stops sending new requests
  // while the ones in flight finish.
  let draining = false;
  const web = openWebRoot(options.webDir);

  let simulator: RunningPodServer['simulator'];
  let closeSimulator = async () => {};
  if (config.demo) {
    const sim = createSimulatedConnectWise();
    // Two host names for one simulator: 127.0.0.1 plays ConnectWise, localhost plays Nilear,
    // so each has its own origin, and both differ from the pod's, as in production.
    const started = await startSimulatedConnectWiseServer({
      sim,
      host: config.simHost,
      port: config.simPort,
      webRoot: options.webDir,
      podOrigin: config.publicUrl,
      nilearOriginFor: (port: number) => `http://localhost:${port}`,
    });
    const port = new URL(started.origin).port;
    const nilearOrigin = `http://localhost:${port}`;
    simulator = { origin: started.origin, nilearOrigin, harnessUrl: `${started.origin}/`, sim };
    closeSimulator = started.close;
    logger.warn(
      { demo: true, simulator: started.origin },
      'demo mode is on: a demo tenant and a simulated ConnectWise are running (set ADMIN_TOKEN or NODE_ENV=production to turn it off)',
    );
  }

  const metrics = createMetrics();
  // Issue 11: per process for now; a shared store (PostgreSQL) implements the same interfaces.
  const events = createMemoryEventStore();
  const refusedOrigins = createMemoryRefusedOriginLog();
  const connectwise = createConnectWise({
    ...(config.cwClientId !== undefined ? { defaultClientId: config.cwClientId } : {}),
    allowPrivateNetwork: config.allowPrivateNetwork,
    // The demo simulator lives on loopback; exactly its origins are exempt from the
    // private-network rule, so the default stays safe.
    allowedOrigins: simulator ? [simulator.origin, simulator.nilearOrigin] : [],
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
    logger,
    onCall: (call) => {
      metrics.connectwiseCall({ endpoint: call.endpoint, status: call.outcome }, call.seconds);
      recordConnectWiseCall(events, call);
    },
    onBreakerChange: (change) => {
      metrics.circuit(change.companyId, change.to);
      logger.warn({ tenant: change.companyId, from: change.from, to: change.to }, 'ConnectWise circuit breaker changed state');
    },
  });
  const loader = createTicketContextLoader({
    connectwise,
    onCacheLookup: (result) => metrics.cache('ticket_context_parts', result),
    referenceData: createReferenceData({ connectwise }),
  });
  const tokens = createSessionTokens({ key: sessionKeyFrom(config.secretKey) });

  if (simulator !== undefined) {
    await seedDemoTenant(store, { simulatorOrigin: simulator.origin, nilearOrigin: simulator.nilearOrigin });
  }

  const app = createApp({
    config,
    metrics,
    logger,
    store,
    connectwise,
    loader,
    tokens,
    web,
    ready: async () => !draining && (await store.ping()),
    ...(storage.limitStores !== undefined ? { limitStores: storage.limitStores } : {}),
    admin: createAdminRouter({
      store,
      connectwise,
      config,
      logger,
      events,
      refusedOrigins,
      revocations: storage.revocations,
      ...(storage.limitStores !== undefined ? { limitStores: storage.limitStores } : {}),
    }),
    events,
    refusedOrigins,
    errorMappers: podErrorMappers,
    ...(simulator !== undefined ? { harnessUrl: simulator.harnessUrl } : {}),
  });

  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: config.publicUrl,
    database: storage.kind,
    port,
    server,
    ...(simulator !== undefined ? { simulator } : {}),
    close({ graceMs = 10_000 } = {}) {
      closing ??= (async () => {
        draining = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Idle keep-alive sockets would hold close() open; busy ones finish their request.
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
        await closeSimulator();
        // Last: requests in flight may still need the database (the pool ends here).
        await store.close();
        await storage.close();
      })();
      return closing;
    },
  };
}
