import { vi } from 'vitest';
import type { ApiErrorCode, FieldIssue } from '../../../../shared/errors.ts';

/**
 * Stands in for the pod server's admin API by replacing `window.fetch` (the console's only
 * way out). Each request is recorded as the browser would send it; routes answer in turn,
 * the last answer repeating. A request no route expects is recorded in `unexpected` and
 * answered 599, so a test can assert that nothing else was called.
 */

export type RecordedCall = {
  method: string;
  /** The path after /api/admin, with its query. */
  path: string;
  url: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
  body: unknown;
};

type Answer = Response | ((call: RecordedCall) => Response | Promise<Response>);

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

export const noContent = () => new Response(null, { status: 204 });

export function apiError(status: number, code: ApiErrorCode, message: string, fields?: FieldIssue[]): Response {
  return json(status, { error: { code, message, ...(fields ? { fields } : {}), requestId: 'req-1' } });
}

/** An answer that waits until the test releases it. */
export function deferred(): { answer: Answer; release: (res: Response) => void } {
  let release!: (res: Response) => void;
  const pending = new Promise<Response>((resolve) => (release = resolve));
  return { answer: () => pending, release };
}

export function fakeAdminServer() {
  const calls: RecordedCall[] = [];
  const unexpected: RecordedCall[] = [];
  const routes = new Map<string, Answer[]>();

  const fetchSpy = vi.spyOn(window, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const rawBody = init?.body;
    const call: RecordedCall = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path: url.pathname.replace(/^\/api\/admin/, '') + url.search,
      url: url.href,
      headers,
      credentials: init?.credentials,
      body: typeof rawBody === 'string' ? JSON.parse(rawBody) : undefined,
    };
    calls.push(call);
    const key = `${call.method} ${url.pathname}`;
    const answers = url.pathname.startsWith('/api/admin/') ? routes.get(`${call.method} ${call.path}`) : undefined;
    if (answers === undefined || answers.length === 0) {
      unexpected.push(call);
      return new Response(`no route for ${key}`, { status: 599 });
    }
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    const res = typeof answer === 'function' ? await answer(call) : answer.clone();
    return res;
  });

  return {
    calls,
    unexpected,
    fetchSpy,
    /** Answers `METHOD /path` (after /api/admin) with each answer in turn; the last repeats. */
    on(method: string, path: string, ...answers: Answer[]) {
      routes.set(`${method} ${path}`, answers);
      return this;
    },
    /** The recorded calls to one route. */
    callsTo(method: string, path: string) {
      return calls.filter((c) => c.method === method && c.path === path);
    },
  };
}

export type FakeAdminServer = ReturnType<typeof fakeAdminServer>;
