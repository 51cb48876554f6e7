import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectWiseHttpError } from '../../../server/connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnusableAnswerError } from '../../../server/connectwise/errors/ConnectWiseUnusableAnswerError.ts';
import { createGuardedDispatcher } from '../../../server/connectwise/network-guard.ts';
import { createTransport, type TransportRequest } from '../../../server/connectwise/transport.ts';

// The transport on its own, against ConnectWise answers shaped per request with msw (the
// simulated ConnectWise covers the same paths end to end in connectwise.test.ts).

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const dispatcher = createGuardedDispatcher({ allowPrivateNetwork: true, allowedOrigins: [], lookup: async () => [] });
afterAll(() => dispatcher.close());

const transport = createTransport({ dispatcher, timeoutMs: 300, totalTimeoutMs: 1500, maxRetryAfterMs: 50 });
const URL_ = 'https://api-na.myconnectwise.net/v2025_1/apis/3.0/system/info';
const Info = z.looseObject({ version: z.string() });

function req(overrides: Partial<TransportRequest<typeof Info>> = {}): TransportRequest<typeof Info> {
  return {
    method: 'GET',
    url: new URL(URL_),
    endpoint: 'system/info',
    headers: { Accept: 'application/json' },
    credentials: 'api-keys',
    schema: Info,
    ...overrides,
  };
}

function counting(resolver: (n: number) => Response | Promise<Response>, method: 'get' | 'post' = 'get') {
  const calls = { n: 0 };
  server.use(http[method](URL_, async () => resolver(++calls.n)));
  return calls;
}

describe('answers', () => {
  it('parses JSON with the schema and keeps unknown fields', async () => {
    counting(() => HttpResponse.json({ version: 'v2025.1', extra: 1 }));
    await expect(transport.send(req())).resolves.toEqual({ version: 'v2025.1', extra: 1 });
  });

  it('reports an HTML page instead of JSON as not_json', async () => {
    counting(() => new HttpResponse('<html><body>Sign in</body></html>', { headers: { 'content-type': 'text/html' } }));
    await expect(transport.send(req())).rejects.toMatchObject({ name: 'ConnectWiseUnusableAnswerError', reason: 'not_json' });
  });

  it('reports truncated JSON as malformed_json (an answer that arrived, not an unreachable ConnectWise)', async () => {
    counting(() => new HttpResponse('{"version":"v20', { headers: { 'content-type': 'application/json' } }));
    await expect(transport.send(req())).rejects.toMatchObject({ name: 'ConnectWiseUnusableAnswerError', reason: 'malformed_json' });
  });

  it('reports a shape mismatch as bad_shape with the field paths and without the values', async () => {
    counting(() => HttpResponse.json({ version: 12345678 }));
    const err = await transport.send(req()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectWiseUnusableAnswerError);
    expect(err).toMatchObject({ reason: 'bad_shape', issuePaths: ['version'] });
    expect((err as Error).message).toContain('version');
    expect((err as Error).message).not.toContain('12345678');
  });
});

describe('errors', () => {
  it('keeps ConnectWise\'s own code and message and the fields it named', async () => {
    counting(() =>
      HttpResponse.json(
        {
          code: 'InvalidObject',
          message: 'ticket object is invalid',
          errors: [{ code: 'NotFound', message: 'Service Status 17 not found', resource: 'ticket', field: 'status/id' }],
        },
        { status: 400 },
      ),
    );
    const err = await transport.send(req()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectWiseHttpError);
    expect(err).toMatchObject({
      status: 400,
      cwCode: 'InvalidObject',
      cwMessage: 'ticket object is invalid',
      cwErrors: [{ code: 'NotFound', field: 'status/id', resource: 'ticket' }],
      endpoint: 'system/info',
      credentials: 'api-keys',
    });
  });

  it('does not copy a non-ConnectWise error body into the error', async () => {
    counting(() => new HttpResponse('<h1>Bad gateway from proxy secret-page</h1>', { status: 404, statusText: 'Not Found' }));
    const err = (await transport.send(req()).catch((e: unknown) => e)) as ConnectWiseHttpError;
    expect(err.status).toBe(404);
    expect(err.message).not.toContain('secret-page');
  });

  it('refuses to follow a redirect and names the target host', async () => {
    const calls = counting(() => new HttpResponse(null, { status: 302, headers: { location: 'https://evil.example/steal?x=1' } }));
    const err = await transport.send(req()).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'redirect', redirectHost: 'evil.example' });
    expect((err as Error).message).toContain('evil.example');
    expect(calls.n).toBe(1);
  });
});

describe('retries', () => {
  it('retries a GET after 5xx and succeeds', async () => {
    const calls = counting((n) => (n < 3 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ version: 'ok' })));
    await expect(transport.send(req())).resolves.toEqual({ version: 'ok' });
    expect(calls.n).toBe(3);
  });

  it('retries a GET after 429 with Retry-After (capped) and succeeds', async () => {
    const calls = counting((n) =>
      n === 1 ? new HttpResponse(null, { status: 429, headers: { 'retry-after': '3600' } }) : HttpResponse.json({ version: 'ok' }),
    );
    await expect(transport.send(req())).resolves.toEqual({ version: 'ok' });
    expect(calls.n).toBe(2);
  });

  it('retries a GET after a network error', async () => {
    const calls = counting((n) => (n === 1 ? HttpResponse.error() : HttpResponse.json({ version: 'ok' })));
    await expect(transport.send(req())).resolves.toEqual({ version: 'ok' });
    expect(calls.n).toBe(2);
  });

  it('gives up after a bounded number of attempts, reporting the last status and Retry-After', async () => {
    const calls = counting(() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } }));
    await expect(transport.send(req())).rejects.toMatchObject({ status: 429, retryAfter: 1 });
    expect(calls.n).toBe(3);
  });

  it('does not retry a 4xx other than 429', async () => {
    const calls = counting(() => HttpResponse.json({ code: 'Unauthorized', message: 'no' }, { status: 401 }));
    await expect(transport.send(req())).rejects.toMatchObject({ status: 401 });
    expect(calls.n).toBe(1);
  });

  it('never retries a POST', async () => {
    const calls = counting(() => new HttpResponse(null, { status: 503 }), 'post');
    await expect(transport.send(req({ method: 'POST', json: { a: 1 } }))).rejects.toMatchObject({ status: 503 });
    expect(calls.n).toBe(1);
  });

  it('never retries a POST after a network error', async () => {
    const calls = counting(() => HttpResponse.error(), 'post');
    await expect(transport.send(req({ method: 'POST', json: {} }))).rejects.toMatchObject({ reason: 'network' });
    expect(calls.n).toBe(1);
  });

  it('stops at the total budget when every attempt hangs', async () => {
    const calls = counting(async () => {
      await delay('infinite');
      return HttpResponse.json({ version: 'never' });
    });
    await expect(transport.send(req())).rejects.toMatchObject({ reason: 'timeout' });
    expect(calls.n).toBeGreaterThanOrEqual(1);
    expect(calls.n).toBeLessThanOrEqual(3);
  });

  it('passes a caller\'s abort through unchanged', async () => {
    counting(async () => {
      await delay('infinite');
      return HttpResponse.json({ version: 'never' });
    });
    const controller = new AbortController();
    const pending = transport.send(req({ signal: controller.signal }));
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });
});
