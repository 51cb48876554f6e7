import { Router } from 'express';

/**
 * Liveness (the process serves) and readiness (the database answers, and the server is not
 * draining). A load balancer takes an instance out of rotation while /readyz fails and puts it
 * back once the database answers again.
 */
export function healthRouter(options: { ready: () => boolean | Promise<boolean> }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    let ready = false;
    try {
      ready = await options.ready();
    } catch {
      ready = false;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready' });
  });
  return router;
}
