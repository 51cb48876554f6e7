import type { ErrorRequestHandler, Request, Response } from 'express';
import type { ApiErrorBody } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';
import { ApiError } from './errors/ApiError.ts';

/** Turns a domain error (ConnectWise, store, session…) into an ApiError, or passes. */
export type ErrorMapper = (err: unknown) => ApiError | undefined;

export function sendApiError(res: Response, err: ApiError): void {
  const body: ApiErrorBody = {
    error: {
      ...err.details,
      code: err.code,
      message: err.message,
      ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
      ...(err.failure !== undefined ? { failure: err.failure } : {}),
      ...(err.fields !== undefined ? { fields: err.fields } : {}),
      ...(typeof res.locals.requestId === 'string' ? { requestId: res.locals.requestId } : {}),
    },
  };
  if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(Math.ceil(err.retryAfter)));
  res.setHeader('Cache-Control', 'no-store');
  res.status(err.status).json(body);
}

function isBodyParserError(err: unknown): err is { type: string; status: number } {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string';
}

/**
 * The last middleware: every error becomes a well-formed JSON error. The pod API keeps to
 * its closed set of codes (a too-large or unreadable body is `bad_request` there); nothing
 * from an upstream body or a stack trace reaches the client.
 */
export function errorHandler(options: {
  logger: Logger;
  mappers: ErrorMapper[];
  /** Told of every error answered, as the client sees it (the events view's pod failures). */
  onError?: (req: Request, res: Response, error: ApiError) => void;
}): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const podRoute = req.path.startsWith('/api/pod/');
    let apiError: ApiError | undefined;
    if (err instanceof ApiError) apiError = err;
    else if (isBodyParserError(err)) {
      if (err.type === 'entity.too.large') {
        apiError = new ApiError(podRoute ? 'bad_request' : 'payload_too_large', 'The request body is too large.', {
          status: 413,
        });
      } else if (err.type === 'entity.parse.failed') {
        apiError = new ApiError('bad_request', 'The request body is not valid JSON.');
      } else if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') {
        apiError = new ApiError('bad_request', 'The request body must be UTF-8 JSON.', { status: 415 });
      }
    }
    for (const map of options.mappers) {
      if (apiError !== undefined) break;
      apiError = map(err);
    }
    if (apiError === undefined) {
      options.logger.error({ err, requestId: res.locals.requestId, route: req.route?.path }, 'unexpected error');
      const message = 'Something went wrong on the pod server. Try again; if it persists, give your admin the request id.';
      // The pod API keeps to its closed set of codes; the pod shows this one with Retry.
      apiError = podRoute
        ? new ApiError('connectwise_unreachable', message, { status: 500 })
        : new ApiError('internal_error', message);
    } else if (apiError.status >= 500 || apiError.logDetail !== undefined) {
      // The caller got plain words; the log gets what the admin needs (host, endpoint, ConnectWise's words).
      options.logger.warn(
        {
          code: apiError.code,
          ...(apiError.failure !== undefined ? { failure: apiError.failure } : {}),
          requestId: res.locals.requestId,
          msg2: apiError.message,
          ...(apiError.logDetail !== undefined ? { detail: apiError.logDetail } : {}),
        },
        'request failed',
      );
    }
    try {
      options.onError?.(req, res, apiError);
    } catch (observerError) {
      options.logger.warn({ err: observerError }, 'error observer failed');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendApiError(res, apiError);
  };
}
