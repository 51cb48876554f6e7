import ky, { HTTPError, isNetworkError, isTimeoutError, type Options } from 'ky';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { BlockedAddressError } from './errors/BlockedAddressError.ts';
import { ConnectWiseHttpError, type ConnectWiseCredentialKind } from './errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError, type UnreachableReason } from './errors/ConnectWiseUnreachableError.ts';
import { ConnectWiseUnusableAnswerError } from './errors/ConnectWiseUnusableAnswerError.ts';
import { classifyConnectWiseFailure } from './errors/classify-failure.ts';
import type { CircuitBreakers, Permit } from './circuit-breaker.ts';
import { ConnectWiseErrorBody } from './schemas/error-body.ts';

/** pino-compatible; only shapes and statuses are logged, never headers or bodies. */
export type ConnectWiseLogger = {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
};

export type TransportOptions = {
  dispatcher: Dispatcher;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  /** One budget for all attempts of a call, delays included. */
  totalTimeoutMs: number;
  /** Retries of an idempotent GET (network errors, 5xx, 429). */
  retryLimit?: number;
  /** Cap on a server-requested `Retry-After` wait. */
  maxRetryAfterMs?: number;
  logger?: ConnectWiseLogger | undefined;
  /** Told of every finished call (metrics): outcome is the HTTP status or the error reason. */
  onCall?: ((call: ConnectWiseCall) => void) | undefined;
  /** Per-tenant circuit breakers; requests with a `breakerKey` go through them. */
  breakers?: CircuitBreakers | undefined;
  /** Cap on one answer's body, error bodies included (default 5 MB). */
  maxAnswerBytes?: number;
};

/** ConnectWise's richest real answer (a 1000-row page with `fields=`) is well under this. */
export const DEFAULT_MAX_ANSWER_BYTES = 5 * 1024 * 1024;

export type ConnectWiseCall = { method: string; endpoint: string; outcome: string; seconds: number };

export type TransportRequest<S extends z.ZodType> = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: URL;
  /** The path below the API base without the query, for errors and logs. */
  endpoint: string;
  headers: Record<string, string>;
  credentials: ConnectWiseCredentialKind;
  schema: S;
  json?: unknown;
  signal?: AbortSignal | undefined;
  /** Set false to make a GET single-shot (member-credential probing). */
  retry?: boolean;
  /** The tenant's circuit breaker (see breakerKeyOf); none for calls outside any tenant. */
  breakerKey?: string | undefined;
};

export type Transport = {
  send<S extends z.ZodType>(req: TransportRequest<S>): Promise<z.output<S>>;
};

const MAX_MESSAGE = 500;

const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch whose answers cannot be longer than `maxBytes`: a Content-Length over the cap is
 * refused before the body is read, and the body (after decompression, so a gzip bomb counts
 * at full size) is counted while it streams, the connection dropped as soon as it passes the
 * cap. Either way the read fails with ConnectWiseUnusableAnswerError "too_large" and nothing
 * of the answer is kept.
 */
function cappedFetch(maxBytes: number, endpoint: string): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const tooLarge = () => new ConnectWiseUnusableAnswerError('too_large', endpoint, { limitBytes: maxBytes });
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      void response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (response.body === null || nullBodyStatuses.has(response.status)) return response;
    const reader = response.body.getReader();
    let seen = 0;
    const capped = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        seen += value.byteLength;
        if (seen > maxBytes) {
          void reader.cancel().catch(() => undefined);
          controller.error(tooLarge());
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** An HTML page (a sign-in page, a proxy's error page) rather than JSON that broke. */
function looksLikeHtml(text: string, contentType: string | null): boolean {
  return /^\s*</.test(text) || /\b(text\/html|application\/xhtml)/i.test(contentType ?? '');
}
function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = err;
  for (let i = 0; i < 6 && current !== undefined && current !== null; i++) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function findBlocked(err: unknown): BlockedAddressError | undefined {
  return causes(err).find((c): c is BlockedAddressError => c instanceof BlockedAddressError);
}

function networkReason(err: unknown): UnreachableReason {
  for (const c of causes(err)) {
    const code = (c as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
    if (/^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY))/.test(code)) return 'tls';
    if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timeout';
  }
  return 'network';
}

/** Failures a retry cannot fix: refused addresses, unknown hosts, bad certificates. */
function isPermanentNetworkFailure(err: unknown): boolean {
  if (findBlocked(err)) return true;
  const reason = networkReason(err);
  if (reason === 'tls') return true;
  return causes(err).some((c) => (c as { code?: unknown }).code === 'ENOTFOUND');
}

function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

// ConnectWise's message is shown to admins; keep it short and on one line.
function tidy(message: string): string {
  const oneLine = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}…` : oneLine;
}

function httpErrorFrom(err: HTTPError, req: TransportRequest<z.ZodType>): Error {
  const { status, headers } = err.response;
  if (status >= 300 && status < 400) {
    const location = headers.get('location');
    let redirectHost: string | undefined;
    if (location) {
      try {
        redirectHost = new URL(location, req.url).host;
      } catch {
        redirectHost = undefined;
      }
    }
    return new ConnectWiseUnusableAnswerError('redirect', req.endpoint, { redirectHost: redirectHost ?? 'an unnamed location' });
  }
  let data: unknown = err.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      data = undefined;
    }
  }
  const body = ConnectWiseErrorBody.safeParse(data);
  return new ConnectWiseHttpError({
    status,
    cwCode: body.success ? body.data.code : undefined,
    cwMessage: body.success ? tidy(body.data.message) : `HTTP ${status} ${tidy(err.response.statusText)}`.trim(),
    cwErrors: body.success
      ? (body.data.errors ?? []).map((e) => ({
          ...(e.code ? { code: e.code } : {}),
          ...(e.field ? { field: e.field } : {}),
          ...(e.resource ? { resource: e.resource } : {}),
        }))
      : [],
    endpoint: req.endpoint,
    credentials: req.credentials,
    retryAfter: retryAfterSeconds(headers),
  });
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * HTTP to ConnectWise: ky over the global fetch with the guarded dispatcher; per-attempt and
 * total timeouts; retries only for GET; redirects refused; every answer parsed with the
 * caller's zod schema; every failure turned into one of our error classes.
 */
export function createTransport(options: TransportOptions): Transport {
  const retryLimit = options.retryLimit ?? 2;
  const maxRetryAfter = options.maxRetryAfterMs ?? 2000;
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;

  async function send<S extends z.ZodType>(req: TransportRequest<S>): Promise<z.output<S>> {
    const breakers = options.breakers;
    if (breakers === undefined || req.breakerKey === undefined) return observed(req);
    const gate = await breakers.acquire(req.breakerKey, req.signal);
    if (!gate.ok) {
      const retryAfter = Math.max(1, Math.ceil(gate.retryAfterMs / 1000));
      options.onCall?.({ method: req.method, endpoint: req.endpoint, outcome: 'circuit_open', seconds: 0 });
      throw new ConnectWiseUnreachableError('circuit_open', req.endpoint, { retryAfter });
    }
    try {
      const result = await observed(req);
      gate.permit.success();
      return result;
    } catch (err) {
      report(gate.permit, err);
      throw err;
    }
  }

  async function observed<S extends z.ZodType>(req: TransportRequest<S>): Promise<z.output<S>> {
    if (options.onCall === undefined) return sendOnce(req);
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await sendOnce(req);
    } catch (err) {
      outcome =
        err instanceof ConnectWiseHttpError
          ? String(err.status)
          : err instanceof ConnectWiseUnreachableError || err instanceof ConnectWiseUnusableAnswerError
            ? err.reason
            : err instanceof BlockedAddressError
              ? 'blocked'
              : 'aborted';
      throw err;
    } finally {
      options.onCall({ method: req.method, endpoint: req.endpoint, outcome, seconds: (performance.now() - started) / 1000 });
    }
  }

  async function sendOnce<S extends z.ZodType>(req: TransportRequest<S>): Promise<z.output<S>> {
    if (req.url.protocol !== 'https:' && req.url.protocol !== 'http:') {
      throw new TypeError(`refusing a ${req.url.protocol} URL for ConnectWise`);
    }
    const retrying = req.method === 'GET' && req.retry !== false;
    const kyOptions: Options & { dispatcher: Dispatcher } = {
      method: req.method,
      headers: req.headers,
      redirect: 'manual',
      dispatcher: options.dispatcher,
      fetch: cappedFetch(maxAnswerBytes, req.endpoint),
      timeout: options.timeoutMs,
      totalTimeout: options.totalTimeoutMs,
      signal: req.signal,
      retry: retrying
        ? {
            limit: retryLimit,
            methods: ['get'],
            statusCodes: [429, 500, 502, 503, 504],
            afterStatusCodes: [429, 503],
            maxRetryAfter,
            backoffLimit: 1000,
            jitter: true,
            retryOnTimeout: true,
            shouldRetry: ({ error }) =>
              error instanceof ConnectWiseUnusableAnswerError || (isNetworkError(error) && isPermanentNetworkFailure(error)) ? false : undefined,
          }
        : 0,
      hooks: {
        beforeRetry: [
          async ({ error, retryCount }) => {
            options.logger?.debug(
              { cw: { method: req.method, endpoint: req.endpoint, retry: retryCount, after: error.name } },
              'retrying ConnectWise request',
            );
            // ky does not jitter a server-given Retry-After; a little spread keeps many pods
            // from retrying in the same millisecond.
            if (error instanceof HTTPError && error.response.headers.has('retry-after')) {
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 250));
            }
          },
        ],
      },
      ...(req.json !== undefined ? { json: req.json } : {}),
    };

    let text: string;
    let contentType: string | null = null;
    try {
      const response = ky(req.url, kyOptions);
      text = await response.text();
      contentType = (await response).headers.get('content-type');
    } catch (err) {
      const failure = mapFailure(err, req);
      if (failure instanceof ConnectWiseUnusableAnswerError && failure.reason === 'too_large') {
        // Nothing of the answer is kept; the admin learns of it from this line and the console.
        options.logger?.warn({ cw: { method: req.method, endpoint: req.endpoint, limitBytes: maxAnswerBytes } }, 'ConnectWise answer over the size cap refused');
      }
      throw failure;
    }

    let data: unknown;
    if (text === '') {
      data = undefined;
    } else {
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new ConnectWiseUnusableAnswerError(looksLikeHtml(text, contentType) ? 'not_json' : 'malformed_json', req.endpoint, { cause: err });
      }
    }
    const parsed = req.schema.safeParse(data);
    if (!parsed.success) {
      if (data === undefined) throw new ConnectWiseUnusableAnswerError('not_json', req.endpoint);
      const issuePaths = [...new Set(parsed.error.issues.map((i) => issuePath(i.path)))];
      options.logger?.warn({ cw: { endpoint: req.endpoint, issuePaths } }, 'ConnectWise answer had an unexpected shape');
      throw new ConnectWiseUnusableAnswerError('bad_shape', req.endpoint, { issuePaths });
    }
    return parsed.data;
  }

  return { send };
}

/** What a failed call says about ConnectWise, for its tenant's circuit breaker: the classifier's verdict. */
function report(permit: Permit, err: unknown): void {
  const verdict = classifyConnectWiseFailure(err)?.breaker ?? 'unknown';
  if (verdict === 'down') permit.failure();
  else if (verdict === 'up') permit.success();
  else permit.release();
}

/** One breaker per tenant and API origin: a tenant moved to another site starts afresh. */
export function breakerKeyOf(companyId: string, apiOrigin: string): string {
  return JSON.stringify([companyId.toLowerCase(), apiOrigin]);
}

function mapFailure(err: unknown, req: TransportRequest<z.ZodType>): unknown {
  if (req.signal?.aborted) {
    const reason: unknown = req.signal.reason;
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      return new ConnectWiseUnreachableError('timeout', req.endpoint, { cause: reason });
    }
    return reason ?? err;
  }
  if (err instanceof ConnectWiseUnusableAnswerError) return err;
  if (err instanceof HTTPError) return httpErrorFrom(err, req);
  if (isTimeoutError(err)) return new ConnectWiseUnreachableError('timeout', req.endpoint, { cause: err });
  const blocked = findBlocked(err);
  if (blocked) return blocked;
  if (isNetworkError(err) || (err instanceof TypeError && /^(fetch failed|terminated)$/.test(err.message))) {
    return new ConnectWiseUnreachableError(networkReason(err), req.endpoint, { cause: err });
  }
  return err;
}
