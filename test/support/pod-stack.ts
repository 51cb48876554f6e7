import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type AppConfig } from '../../server/config.ts';
import type { LookupFn } from '../../server/connectwise/network-guard.ts';
import { createLogger, type Logger } from '../../server/logger.ts';
import { startPodServer, type RunningPodServer } from '../../server/start.ts';
import { freePort } from './free-port.ts';

export const webDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

export type PodStack = RunningPodServer & { dataDir: string; adminToken: string; stop(): Promise<void> };

export type PodStackOptions = {
  adminToken?: string;
  /** The server's logger, from the parsed config (default: silent). */
  logger?: (config: AppConfig) => Logger;
  /** DNS for the SSRF guard (tests map fake hosts). */
  lookup?: LookupFn;
};

/**
 * The whole product as `npm start` runs it — pod server, SQLite store in a temp dir, and in
 * demo mode the simulated ConnectWise with its harness — on free loopback ports.
 * The pod is at http://localhost:P, ConnectWise at http://127.0.0.1:S and Nilear at
 * http://localhost:S: three origins, and the pod cross-site from ConnectWise.
 */
export async function startPodStack(env: Record<string, string> = {}, options: PodStackOptions = {}): Promise<PodStack> {
  const port = await freePort();
  const simPort = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pod-stack-'));
  const adminToken = options.adminToken ?? 'test-admin-token-0123456789';
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: String(port),
    SIM_PORT: String(simPort),
    PUBLIC_URL: `http://localhost:${port}`,
    DATA_DIR: dataDir,
    DEMO: 'true',
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const running = await startPodServer({
    config,
    logger: options.logger?.(config) ?? createLogger({ level: 'silent' }),
    webDir,
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
  });
  return {
    ...running,
    dataDir,
    adminToken,
    async stop() {
      await running.close({ graceMs: 2000 });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
