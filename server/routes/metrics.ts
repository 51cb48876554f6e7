import { Router, type RequestHandler } from 'express';
import type { Metrics } from '../metrics/metrics.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import { secretsEqual } from '../admin/admin-session.ts';
import { bearerTokenOf } from '../admin/auth.ts';
import { authFailureLimiter, defaultAdminLimits } from '../admin/rate-limits.ts';

export type MetricsRouterOptions = {
  metrics: Metrics;
  adminToken: string;
  /** A token for /metrics only (METRICS_TOKEN); ADMIN_TOKEN is accepted as well. */
  metricsToken?: string | undefined;
  /**
   * The admin API's failure limiter, so guesses here and there share one budget per address
   * (issue 10 item 7). Without one (an app without the admin API), /metrics has its own.
   */
  failureLimiter?: RequestHandler | undefined;
};

/** GET /metrics in Prometheus text format, behind a token (tenant ids are in it). */
export function metricsRouter(options: MetricsRouterOptions): Router {
  const router = Router();
  const tokens = [options.adminToken, ...(options.metricsToken !== undefined ? [options.metricsToken] : [])];
  const isRight = (token: string | null) => token !== null && token !== '' && tokens.some((t) => secretsEqual(token, t));
  const failures = options.failureLimiter ?? authFailureLimiter(defaultAdminLimits.authFailures, (req) => isRight(bearerTokenOf(req)));
  const requireToken: RequestHandler = (req, _res, next) => {
    if (!isRight(bearerTokenOf(req))) {
      next(new ApiError('unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN or ADMIN_TOKEN> to read metrics.'));
      return;
    }
    next();
  };
  router.get('/metrics', failures, requireToken, async (_req, res, next) => {
    try {
      res.setHeader('Cache-Control', 'no-store');
      res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
