import { fileURLToPath } from 'node:url';
import { loadConfig, ConfigError } from './config.ts';
import { createLogger } from './logger.ts';
import { startPodServer } from './start.ts';

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
  const logger = createLogger({ level: config.logLevel });
  const webDir = fileURLToPath(new URL('../dist/web', import.meta.url));
  const running = await startPodServer({ config, logger, webDir });

  const lines = [
    '',
    `  ConnectWise pod server on ${running.url}`,
    `  Admin console:  ${running.url}/admin`,
  ];
  if (running.simulator !== undefined) {
    lines.push(`  Developer harness (simulated ConnectWise): ${running.simulator.harnessUrl}`);
    lines.push(`  Demo pod URL:   ${config.publicUrl}/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]`);
  }
  if (config.adminTokenGenerated) lines.push(`  Admin token (generated for this run; set ADMIN_TOKEN to fix it): ${config.adminToken}`);
  lines.push('');
  console.log(lines.join('\n'));

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
