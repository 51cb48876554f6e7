import express, { Router } from 'express';
import { noticeCss, noticePage } from '../web/notice-page.ts';
import type { WebRoot } from '../web/web-root.ts';

/** The built front ends' static files and the admin console page. */
export function webPagesRouter(options: { web: WebRoot }): Router {
  const router = Router();
  // Vite names every asset by its content hash, so a year of immutable caching is safe.
  router.use(
    '/assets',
    express.static(options.web.assetsDir, { immutable: true, maxAge: '365d', index: false, redirect: false, fallthrough: true }),
  );
  router.get('/static/notice.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('css').send(noticeCss);
  });
  router.get(['/admin', '/admin/'], (_req, res) => {
    const html = options.web.page('admin');
    res.setHeader('Cache-Control', 'no-store');
    if (html === null) {
      res.status(503).type('html').send(noticePage({ title: 'The admin console is not built', paragraphs: ['Run `npm run build`, then reload.'] }));
      return;
    }
    res.type('html').send(html);
  });
  router.get('/', (_req, res) => res.redirect(302, '/admin'));
  // Browsers ask for it on every page; an empty answer keeps their consoles clean.
  router.get('/favicon.ico', (_req, res) => res.status(204).setHeader('Cache-Control', 'public, max-age=86400').end());
  return router;
}
