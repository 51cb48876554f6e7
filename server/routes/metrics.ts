import { Router, type RequestHandler } from 'express';
import type { Metrics } from '../metrics/metrics.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import { secretsEqual } from '../admin/admin-session.ts';

/** GET /metrics in Prometheus text format, behind the admin token (tenant ids are in it). */
export function metricsRouter(options: { metrics: Metrics; adminToken: string }): Router {
  const router = Router();
  const requireToken: RequestHandler = (req, _res, next) => {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (match === null || !secretsEqual(match[1] ?? '', options.adminToken)) {
      next(new ApiError('unauthorized', 'Send Authorization: Bearer <ADMIN_TOKEN> to read metrics.'));
      return;
    }
    next();
  };
  router.get('/metrics', requireToken, async (_req, res, next) => {
    try {
      res.setHeader('Cache-Control', 'no-store');
      res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  return router;
}
