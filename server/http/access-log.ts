import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

const tenantInPath = /^\/api\/(?:pod|admin\/tenants)\/([A-Za-z0-9][A-Za-z0-9_.-]{0,99})(?:[/?]|$)/;

/** One line per request: route pattern (not the raw URL, which may carry tokens), status, time. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The admin API names its tenant in the path only (req.params is gone by the time an
      // error handler has answered); the pod API resolves it first.
      const tenant = (res.locals.tenant as { companyId?: string } | undefined)?.companyId ?? tenantInPath.exec(req.originalUrl)?.[1];
      logger.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          // A router mounted under a prefix (/api/admin) sees only its own part of the path.
          route: req.route?.path !== undefined ? `${req.baseUrl}${String(req.route.path)}` : req.path.split('/').slice(0, 3).join('/'),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          ...(tenant !== undefined ? { tenant } : {}),
        },
        'request',
      );
    });
    next();
  };
}
