import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const incoming = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id, returned as X-Request-Id and put on every log line and error
 * body, so a technician's screenshot can be matched to the server's logs. A well-formed id
 * from a proxy in front of us is kept.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const header = req.get('x-request-id');
    const id = header !== undefined && incoming.test(header) ? header : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
