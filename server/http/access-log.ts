import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

/** One line per request: route pattern (not the raw URL, which may carry tokens), status, time. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const tenant = (res.locals.tenant as { companyId?: string } | undefined)?.companyId;
      logger.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          route: req.route?.path ?? req.path.split('/').slice(0, 3).join('/'),
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
