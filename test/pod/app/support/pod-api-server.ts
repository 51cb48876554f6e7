import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PodErrorCode } from '../../../../shared/errors.ts';
import { statusForErrorCode } from '../../../../shared/errors.ts';
import { companyAgreements, fullContext, summaryOf } from './ticket-fixtures.ts';

export interface SeenRequest {
  method: string;
  path: string;
  search: string;
  authorization: string | undefined;
  body: unknown;
  /** Set when the client went away before the answer was written (an aborted fetch). */
  aborted: boolean;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Resolve to send the reply; lets a test hold a response back. */
  hold?: Promise<void>;
}

export type Route = (request: SeenRequest) => Reply | undefined;

export function errorReply(code: PodErrorCode, message = `failed: ${code}`, extra: Record<string, unknown> = {}): Reply {
  return { status: statusForErrorCode[code], body: { error: { code, message, ...extra } } };
}

/**
 * A real HTTP server standing in for our pod API: by default it issues sessions (tok-1,
 * tok-2…) and answers any ticket (context, summary, company agreements) with fixture data. `route` overrides an answer per test.
 */
export async function startPodApiServer(options: { sessionLifeMs?: number } = {}) {
  const requests: SeenRequest[] = [];
  let sessions = 0;
  let route: Route = () => undefined;
  const sessionLifeMs = options.sessionLifeMs ?? 15 * 60_000;

  function defaultReply(request: SeenRequest): Reply {
    if (request.method === 'POST' && request.path === '/api/pod/acme/session') {
      sessions += 1;
      return {
        status: 200,
        body: {
          token: `tok-${sessions}`,
          expiresAt: new Date(Date.now() + sessionLifeMs).toISOString(),
          member: { identifier: 'jdoe', name: 'John Doe' },
        },
      };
    }
    const match = /^\/api\/pod\/acme\/tickets\/(\d+)(\/summary|\/agreements)?$/.exec(request.path);
    if (request.method === 'GET' && match) {
      const context = fullContext(Number(match[1]));
      const body = match[2] === '/summary' ? summaryOf(context) : match[2] === '/agreements' ? companyAgreements() : context;
      return { status: 200, body };
    }
    return { status: 404, body: { error: { code: 'not_found', message: 'no such route' } } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      search: url.search,
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
      aborted: false,
    };
    requests.push(seen);
    res.on('close', () => {
      if (!res.writableFinished) seen.aborted = true;
    });
    const reply = route(seen) ?? defaultReply(seen);
    if (reply.hold) await reply.hold;
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    apiBase: `http://127.0.0.1:${port}/api/pod/acme`,
    requests,
    setRoute(next: Route) {
      route = next;
    },
    ticketRequests() {
      return requests.filter((r) => r.path.includes('/tickets/'));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A promise a test resolves by hand. */
export function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
