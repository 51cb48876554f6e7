import * as z from 'zod/mini';
import { ApiErrorBody, PodErrorCode, type ApiErrorCode } from '../../shared/errors.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import { PodSession } from '../../shared/pod-api.ts';
import type { SolvedBefore } from '../../shared/solved-before.ts';
import { TicketAgreements, TicketContext, TicketSummary } from '../../shared/ticket-context.ts';
import { PodApiError } from './errors/pod-api-error.ts';

/**
 * The pod's HTTP client for its own server. Plain fetch rather than ky: the pod needs
 * none of ky's retry logic (session renewal and Retry are decided by the controller, and
 * a blind retry would double ConnectWise's load), and the 30 KB budget is tight.
 */
export interface PodApiClient {
  /** `ticketId`: the ticket on screen, so the server starts its reads as soon as the member is verified. */
  createSession(auth: MemberAuthentication, opts?: RequestOptions & { ticketId?: number }): Promise<PodSession>;
  ticketSummary(token: string, ticketId: number, opts?: TicketRequestOptions): Promise<TicketSummary>;
  ticketContext(token: string, ticketId: number, opts?: TicketRequestOptions): Promise<TicketContext>;
  /** The active agreements of the ticket's company, asked for from the Agreements card. */
  ticketAgreements(token: string, ticketId: number, opts?: TicketRequestOptions): Promise<TicketAgreements>;
  /** The company's resolved tickets most like this one, asked for from the Solved before card. */
  solvedBefore(token: string, ticketId: number, opts?: TicketRequestOptions): Promise<SolvedBefore>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}
export interface TicketRequestOptions extends RequestOptions {
  /** Bypass the server's short-lived caches (the refresh control). */
  fresh?: boolean;
}

export interface PodApiClientOptions {
  /** e.g. "/api/pod/acme" (relative to the page) or an absolute URL in tests. */
  apiBase: string;
  fetch?: typeof fetch;
}

/** Admin-only or infrastructure codes the pod API should never send, folded into the pod's set. */
const foldedCodes: Partial<Record<ApiErrorCode, PodErrorCode>> = {
  unauthorized: 'session_expired',
  forbidden: 'ticket_forbidden',
  validation_failed: 'bad_request',
  payload_too_large: 'bad_request',
  not_found: 'not_configured',
  version_conflict: 'bad_request',
  internal_error: 'connectwise_unreachable',
  // The server's database is down for a moment: the same "try again" state.
  service_unavailable: 'connectwise_unreachable',
};

export function createPodApiClient(options: PodApiClientOptions): PodApiClient {
  const base = options.apiBase.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<S extends z.ZodMiniType>(
    path: string,
    schema: S,
    init: RequestInit,
  ): Promise<z.infer<S>> {
    let response: Response;
    try {
      response = await doFetch(base + path, { ...init, credentials: 'omit', cache: 'no-store' });
    } catch (error) {
      if (isAbort(error, init.signal)) throw error;
      throw new PodApiError('connectwise_unreachable', 'The pod server did not answer (network error).');
    }
    const body = await readJson(response, init.signal);
    if (!response.ok) throw toPodApiError(response, body);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new PodApiError(
        'connectwise_unreachable',
        `The pod server sent an answer the pod cannot read (${firstIssue(parsed.error)}).`,
        { status: response.status },
      );
    }
    return parsed.data;
  }

  function ticketPath(ticketId: number, suffix: string, fresh: boolean | undefined): string {
    return `/tickets/${encodeURIComponent(String(ticketId))}${suffix}${fresh ? '?fresh=1' : ''}`;
  }

  function bearer(token: string): HeadersInit {
    return { accept: 'application/json', authorization: `Bearer ${token}` };
  }

  return {
    createSession(auth, opts = {}) {
      return request(opts.ticketId !== undefined ? `/session?ticket=${opts.ticketId}` : '/session', PodSession, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(auth),
        signal: opts.signal ?? null,
      });
    },
    ticketSummary(token, ticketId, opts = {}) {
      return request(ticketPath(ticketId, '/summary', opts.fresh), TicketSummary, {
        headers: bearer(token),
        signal: opts.signal ?? null,
      });
    },
    ticketContext(token, ticketId, opts = {}) {
      return request(ticketPath(ticketId, '', opts.fresh), TicketContext, {
        headers: bearer(token),
        signal: opts.signal ?? null,
      });
    },
    ticketAgreements(token, ticketId, opts = {}) {
      return request(ticketPath(ticketId, '/agreements', opts.fresh), TicketAgreements, {
        headers: bearer(token),
        signal: opts.signal ?? null,
      });
    },
    async solvedBefore(token, ticketId, opts = {}) {
      // The schema loads with the first search, not with the pod: most views never ask.
      const { SolvedBefore: schema } = await import('../../shared/solved-before.ts');
      return request(ticketPath(ticketId, '/solved-before', opts.fresh), schema, {
        headers: bearer(token),
        signal: opts.signal ?? null,
      });
    },
  };
}

async function readJson(response: Response, signal: AbortSignal | null | undefined): Promise<unknown> {
  try {
    const text = await response.text();
    return text === '' ? undefined : JSON.parse(text);
  } catch (error) {
    if (isAbort(error, signal)) throw error;
    return undefined;
  }
}

function toPodApiError(response: Response, body: unknown): PodApiError {
  const parsed = ApiErrorBody.safeParse(body);
  if (parsed.success) {
    const { code, message, retryAfter, requestId } = parsed.data.error;
    const podCode = PodErrorCode.safeParse(code).success ? (code as PodErrorCode) : foldedCodes[code];
    return new PodApiError(podCode ?? 'connectwise_unreachable', message, {
      status: response.status,
      retryAfter: retryAfter ?? retryAfterHeader(response),
      requestId,
    });
  }
  // No error body: a proxy or a crash answered. Judge by status alone.
  const status = response.status;
  const code: PodErrorCode =
    status === 429 ? 'rate_limited' : status === 401 ? 'session_expired' : status === 400 ? 'bad_request' : 'connectwise_unreachable';
  return new PodApiError(code, `The pod server answered HTTP ${status} without an explanation.`, {
    status,
    retryAfter: retryAfterHeader(response),
  });
}

function retryAfterHeader(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function isAbort(error: unknown, signal: AbortSignal | null | undefined): boolean {
  return signal?.aborted === true || (error instanceof DOMException && error.name === 'AbortError');
}

function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected shape';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
