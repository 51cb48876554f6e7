import type { RequestHandler } from 'express';
import type { Metrics } from '../metrics/metrics.ts';

/** Counts and times every request by its route pattern (unmatched routes share one label). */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path !== undefined ? `${req.baseUrl}${String(req.route.path)}` : req.path.startsWith('/assets/') ? '/assets' : 'unmatched';
      metrics.httpRequest({ route, method: req.method, status: res.statusCode }, seconds);
    });
    next();
  };
}
