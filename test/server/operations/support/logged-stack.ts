import { Writable } from 'node:stream';
import { createLogger } from '../../../../server/logger.ts';
import type { LookupFn } from '../../../../server/connectwise/network-guard.ts';
import { startPodStack, type PodStack } from '../../../support/pod-stack.ts';

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

export type LoggedStack = PodStack & { logs: LogCollector };

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
  const { stream, logs } = collector();
  const stack = await startPodStack(
    { LOG_LEVEL: options.level ?? 'debug', ...options.env },
    {
      adminToken: options.adminToken ?? 'ops-admin-token-5c1f0e7a9b2d',
      logger: (config) => createLogger({ level: config.logLevel, destination: stream }),
      ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
    },
  );
  return Object.assign(stack, { logs });
}
