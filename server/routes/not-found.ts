import type { RequestHandler } from 'express';
import { ApiError } from '../http/errors/ApiError.ts';
import { noticePage } from '../web/notice-page.ts';

/** Whatever no route answered: a JSON error under /api, a small page elsewhere. */
export function notFound(): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/api/')) {
      next(new ApiError('not_found', 'No such API route.'));
      return;
    }
    res
      .status(404)
      .setHeader('Cache-Control', 'no-store')
      .type('html')
      .send(noticePage({ title: 'Not found', paragraphs: ['There is nothing at this address.'] }));
  };
}
