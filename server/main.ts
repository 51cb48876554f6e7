import { fileURLToPath } from 'node:url';
import { loadConfig, ConfigError } from './config.ts';
import { createLogger } from './logger.ts';
import { startPodServer } from './start.ts';
import { startBanner } from './start-banner.ts';

/**
 * `npm start`: the only file with process-wide side effects (env, signals, exit codes).
 * Everything it starts is built by start.ts, which the end-to-end tests call too.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.message.split('\n')) console.error(`config error: ${line}`);
      process.exit(1);
    }
    throw err;
  }
  // A person trying the demo at a terminal reads the logs; anything else (a service manager,
  // a container, a pipe) gets JSON lines for its log collector.
  const logger = createLogger({ level: config.logLevel, pretty: config.demo && process.stdout.isTTY === true });
  const webDir = fileURLToPath(new URL('../dist/web', import.meta.url));
  const running = await startPodServer({ config, logger, webDir });

  // After whatever start-up logged in its last turn of the event loop, so the URLs and the
  // token are the last lines on screen.
  await new Promise((resolve) => setImmediate(resolve));
  console.log(startBanner(config, running));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    running
      .close({ graceMs: 10_000 })
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
