import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../server/metrics/metrics.ts';
import { metricsRouter } from '../../../server/routes/metrics.ts';
import { authFailureLimiter } from '../../../server/admin/rate-limits.ts';
import { bearerTokenOf } from '../../../server/admin/auth.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { serveApp } from '../../support/serve-app.ts';

const metricsToken = 'metrics-token-0123456789abcdef';
const get = (url: string, token?: string) =>
  fetch(`${url}/metrics`, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });

describe('/metrics with its own failure limit (issue 10 item 7)', () => {
  it('counts only wrong tokens, and never refuses the right one', async () => {
    const app = express();
    const tokens = ['admin-token-0123456789abcdef', metricsToken];
    app.use(
      metricsRouter({
        metrics: createMetrics(),
        adminToken: tokens[0]!,
        metricsToken,
        failureLimiter: authFailureLimiter({ windowMs: 60_000, limit: 2 }, (req) => tokens.includes(bearerTokenOf(req) ?? '')),
      }),
    );
    const url = await serveApp(app);
    // Successes are not failures: many right reads first, then only two guesses are allowed.
    for (let i = 0; i < 5; i++) expect((await get(url, metricsToken)).status).toBe(200);
    expect((await get(url, 'guess-0000000000000000')).status).toBe(401);
    expect((await get(url)).status).toBe(401);
    expect((await get(url, 'guess-1111111111111111')).status).toBe(429);
    expect((await get(url, tokens[0])).status).toBe(200);
    expect((await get(url, metricsToken)).status).toBe(200);
  });
});

describe('/metrics and the admin API share one failure budget per address', () => {
  let stack: PodStack;
  beforeAll(async () => {
    stack = await startPodStack({ METRICS_TOKEN: metricsToken });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('takes METRICS_TOKEN and ADMIN_TOKEN; 30 guesses on either surface block the next guess on both', async () => {
    expect((await get(stack.url, metricsToken)).status).toBe(200);
    expect((await get(stack.url, stack.adminToken)).status).toBe(200);
    // METRICS_TOKEN opens /metrics only.
    const adminWithMetricsToken = await fetch(`${stack.url}/api/admin/tenants`, { headers: { Authorization: `Bearer ${metricsToken}` } });
    expect(adminWithMetricsToken.status).toBe(401);
    for (let i = 0; i < 15; i++) expect((await get(stack.url, `guess-${i}-0000000000000`)).status).toBe(401);
    for (let i = 0; i < 15; i++) {
      const res = await fetch(`${stack.url}/api/admin/tenants`, { headers: { Authorization: `Bearer guess-${i}-1111111111111` } });
      expect(res.status).toBe(401);
    }
    expect((await get(stack.url, 'one-more-guess-000000')).status).toBe(429);
    expect((await fetch(`${stack.url}/api/admin/tenants`, { headers: { Authorization: 'Bearer one-more-guess-000000' } })).status).toBe(429);
    // The right tokens are never held back.
    expect((await get(stack.url, metricsToken)).status).toBe(200);
    expect((await fetch(`${stack.url}/api/admin/tenants`, { headers: { Authorization: `Bearer ${stack.adminToken}` } })).status).toBe(200);
  });
});
