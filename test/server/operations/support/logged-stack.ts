import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../../server/config.ts';
import { createLogger } from '../../../../server/logger.ts';
import { startPodServer, type RunningPodServer } from '../../../../server/start.ts';
import type { LookupFn } from '../../../../server/connectwise/network-guard.ts';
import { freePort } from '../../../support/free-port.ts';
import { webDir } from '../../../support/pod-stack.ts';

/** Every line the server's logger wrote, as written (pino writes one JSON object per line). */
export type LogCollector = {
  readonly lines: string[];
  text(): string;
  records(): Record<string, unknown>[];
  clear(): void;
};

function collector(): { stream: Writable; logs: LogCollector } {
  const lines: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l !== ''));
      done();
    },
  });
  return {
    stream,
    logs: {
      lines,
      text: () => lines.join('\n') + partial,
      records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
      clear: () => void lines.splice(0),
    },
  };
}

export type LoggedStack = RunningPodServer & { dataDir: string; adminToken: string; logs: LogCollector; stop(): Promise<void> };

/**
 * The whole product as test/support/pod-stack.ts starts it, but with the logger writing into
 * memory so a test can read every line the server wrote.
 */
export async function startLoggedStack(options: {
  level?: string;
  env?: Record<string, string>;
  adminToken?: string;
  lookup?: LookupFn;
} = {}): Promise<LoggedStack> {
  const port = await freePort();
  const simPort = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pod-ops-'));
  const adminToken = options.adminToken ?? 'ops-admin-token-5c1f0e7a9b2d';
  const level = options.level ?? 'debug';
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: String(port),
    SIM_PORT: String(simPort),
    PUBLIC_URL: `http://localhost:${port}`,
    DATA_DIR: dataDir,
    DEMO: 'true',
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: level,
    ...options.env,
  });
  const { stream, logs } = collector();
  const running = await startPodServer({
    config,
    logger: createLogger({ level: config.logLevel, destination: stream }),
    webDir,
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
  });
  return {
    ...running,
    dataDir,
    adminToken,
    logs,
    async stop() {
      await running.close({ graceMs: 2000 });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
