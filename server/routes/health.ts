import { Router } from 'express';

/** Liveness (the process serves) and readiness (the store answers). */
export function healthRouter(options: { ready: () => boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    let ready = false;
    try {
      ready = options.ready();
    } catch {
      ready = false;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready' });
  });
  return router;
}
