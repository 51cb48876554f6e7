/**
 * The connection test: a runner (./connection-test/runner.ts) and one module per step, each
 * taking an explicit step context (./connection-test/step.ts). This module is its public face.
 */
export { runConnectionTest } from './connection-test/runner.ts';
export { DEFAULT_STEP_TIMEOUT_MS, type ConnectionTestDeps } from './connection-test/step.ts';
export { probeAll } from './connection-test/permissions-step.ts';
