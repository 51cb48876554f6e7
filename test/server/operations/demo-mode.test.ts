import { afterEach, describe, expect, it } from 'vitest';
import { startLoggedStack, type LoggedStack } from './support/logged-stack.ts';

let stack: LoggedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const demoLines = (s: LoggedStack) => s.logs.records().filter((r) => typeof r.msg === 'string' && r.msg.startsWith('demo mode is on'));

describe('demo mode at start-up (issue 10, item 10)', () => {
  it('says in one line that demo mode is on, and the simulator listens on loopback', async () => {
    stack = await startLoggedStack({ level: 'info', env: { DEMO: 'true' } });
    expect(demoLines(stack)).toHaveLength(1);
    expect(new URL(stack.simulator!.origin).hostname).toBe('127.0.0.1');
  });

  it('says nothing of demo mode, and runs no simulator, when it is off', async () => {
    stack = await startLoggedStack({ level: 'info', env: { DEMO: 'false' } });
    // The server is up and serving: the missing line is not a failed start.
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
    expect(demoLines(stack)).toHaveLength(0);
    expect(stack.simulator).toBeUndefined();
  });
});
