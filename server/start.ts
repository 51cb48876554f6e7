import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { createApp } from './app.ts';
import { openSqliteTenantStore } from './tenants/sqlite-store.ts';
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

export type RunningPodServer = {
  /** The public URL (PUBLIC_URL); tests pick a free port and pass it explicitly. */
  url: string;
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
  const database = await openSqliteTenantStore({
    dataDir: config.dataDir,
    ...(config.secretKey !== undefined ? { secretKey: config.secretKey } : {}),
    previousSecretKeys: config.previousSecretKeys,
    onCorruptRow: (e) => logger.warn({ companyId: e.companyId, problems: e.problems }, 'unreadable tenant skipped'),
  });
  const store = withTenantCache(database, { ttlMs: 5_000 });
  const web = openWebRoot(options.webDir);

  let simulator: RunningPodServer['simulator'];
  let closeSimulator = async () => {};
  if (config.demo) {
    const sim = createSimulatedConnectWise();
    // Two host names for one simulator: 127.0.0.1 plays ConnectWise, localhost plays Nilear,
    // so each has its own origin, and both differ from the pod's, as in production.
    const started = await startSimulatedConnectWiseServer({
      sim,
      host: '127.0.0.1',
      port: config.simPort,
      webRoot: options.webDir,
      podOrigin: config.publicUrl,
      nilearOriginFor: (port: number) => `http://localhost:${port}`,
    });
    const port = new URL(started.origin).port;
    const nilearOrigin = `http://localhost:${port}`;
    simulator = { origin: started.origin, nilearOrigin, harnessUrl: `${started.origin}/`, sim };
    closeSimulator = started.close;
  }

  const metrics = createMetrics();
  const connectwise = createConnectWise({
    ...(config.cwClientId !== undefined ? { defaultClientId: config.cwClientId } : {}),
    allowPrivateNetwork: config.allowPrivateNetwork,
    // The demo simulator lives on loopback; exactly its origins are exempt from the
    // private-network rule, so the default stays safe.
    allowedOrigins: simulator ? [simulator.origin, simulator.nilearOrigin] : [],
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
    logger,
    onCall: (call) => metrics.connectwiseCall({ endpoint: call.endpoint, status: call.outcome }, call.seconds),
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
    admin: createAdminRouter({ store, connectwise, config, logger }),
    errorMappers: podErrorMappers,
    ...(simulator !== undefined ? { harnessUrl: simulator.harnessUrl } : {}),
  });

  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: config.publicUrl,
    port,
    server,
    ...(simulator !== undefined ? { simulator } : {}),
    close({ graceMs = 10_000 } = {}) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Idle keep-alive sockets would hold close() open; busy ones finish their request.
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
        await closeSimulator();
        store.close();
      })();
      return closing;
    },
  };
}
