import { Writable } from 'node:stream';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { serveApp } from '../../support/serve-app.ts';
import { errorHandler, type ErrorMapper } from '../../../server/http/error-handler.ts';
import { ApiError } from '../../../server/http/errors/ApiError.ts';
import { requestId } from '../../../server/http/request-id.ts';
import { createLogger } from '../../../server/logger.ts';
import { ApiErrorBody } from '../../../shared/errors.ts';


class TicketGoneError extends Error {
  override name = 'TicketGoneError';
}
const mapTicketGone: ErrorMapper = (err) =>
  err instanceof TicketGoneError ? new ApiError('ticket_not_found', 'That ticket was deleted in ConnectWise.') : undefined;

const secretMessage = 'connect ECONNREFUSED privateKey=pk_live_123 at /srv/pod/server/secret-path.ts';

/** An app whose routes fail in each way the error handler must answer; the log lines are kept. */
async function start() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '1kb' }));
  for (const prefix of ['/api/pod/acme', '/api/admin']) {
    app.post(`${prefix}/echo`, (req, res) => {
      res.json(req.body);
    });
    app.get(`${prefix}/api-error`, () => {
      throw new ApiError('rate_limited', 'Too many requests for this member.', { retryAfter: 2.2 });
    });
    app.get(`${prefix}/fields`, () => {
      throw new ApiError('validation_failed', 'boardIds.0: Too small', { fields: [{ path: 'boardIds.0', message: 'Too small' }] });
    });
    app.get(`${prefix}/mapped`, async () => {
      throw new TicketGoneError('gone');
    });
    app.get(`${prefix}/unknown`, () => {
      throw new Error(secretMessage);
    });
    app.get(`${prefix}/thrown-string`, () => {
      throw 'a bare string';
    });
    app.get(`${prefix}/half-sent`, (_req, res, next) => {
      res.status(200).type('text');
      res.write('partial answer');
      next(new Error('stream broke'));
    });
  }
  app.use(errorHandler({ logger, mappers: [mapTicketGone] }));
  return { url: await serveApp(app), lines };
}

async function errorOf(res: Response): Promise<ApiErrorBody['error']> {
  const body: unknown = await res.json();
  return ApiErrorBody.parse(body).error;
}

describe('errorHandler', () => {
  it('answers an ApiError with its status, code, message, request id and Retry-After', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/api/pod/acme/api-error`, { headers: { 'X-Request-Id': 'req-from-proxy-1' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await errorOf(res)).toEqual({
      code: 'rate_limited',
      message: 'Too many requests for this member.',
      retryAfter: 2.2,
      requestId: 'req-from-proxy-1',
    });
  });

  it('passes field issues through', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/api/admin/fields`);
    expect(res.status).toBe(422);
    expect(res.headers.has('retry-after')).toBe(false);
    const error = await errorOf(res);
    expect(error.fields).toEqual([{ path: 'boardIds.0', message: 'Too small' }]);
    expect(error.retryAfter).toBeUndefined();
  });

  it.each([
    ['the pod API, which keeps to its closed set of codes', '/api/pod/acme/echo', 'bad_request'],
    ['the admin API', '/api/admin/echo', 'payload_too_large'],
  ])('answers a body over the limit on %s with 413 %s', async (_what, path, code) => {
    const { url } = await start();
    const res = await fetch(url + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ memberHash: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code, message: 'The request body is too large.' });
  });

  it.each(['/api/pod/acme/echo', '/api/admin/echo'])('answers unreadable JSON on %s with 400 bad_request', async (path) => {
    const { url } = await start();
    const res = await fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"memberid": ' });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'bad_request', message: 'The request body is not valid JSON.' });
  });

  it('answers a body in another charset with 415 bad_request', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/api/pod/acme/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=latin1' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe('bad_request');
  });

  it('still serves a good body (the failing cases are not the harness failing)', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/api/pod/acme/echo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ a: 1 });
  });

  it('uses the ApiError a mapper makes of a domain error', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/api/pod/acme/mapped`);
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: 'ticket_not_found', message: 'That ticket was deleted in ConnectWise.' });
  });

  it.each([
    ['the pod API', '/api/pod/acme', 'connectwise_unreachable'],
    ['the admin API', '/api/admin', 'internal_error'],
  ])('answers an unknown error on %s with 500 %s and nothing of the error itself', async (_what, prefix, code) => {
    const { url, lines } = await start();
    for (const route of ['unknown', 'thrown-string']) {
      const res = await fetch(`${url}${prefix}/${route}`);
      expect(res.status).toBe(500);
      const text = await res.text();
      const error = ApiErrorBody.parse(JSON.parse(text)).error;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/give your admin the request id/);
      expect(error.requestId).toBe(res.headers.get('x-request-id'));
      for (const leak of ['ECONNREFUSED', 'pk_live_123', 'secret-path', 'a bare string', '    at ', '.ts:']) expect(text).not.toContain(leak);
    }
    // The details go to the log instead, under the same request id.
    expect(lines.filter((l) => l.msg === 'unexpected error')).toHaveLength(2);
  });

  it('ends a response whose headers were already sent instead of writing a second one', async () => {
    const { url } = await start();
    for (const prefix of ['/api/pod/acme', '/api/admin']) {
      const res = await fetch(`${url}${prefix}/half-sent`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('partial answer');
    }
  });
});
