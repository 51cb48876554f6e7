import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { getResponse } from 'msw';
import * as z from 'zod/mini';
import { FaultRuleInput } from '../../shared/harness-api.ts';
import type { Sim } from './simulator.ts';
import { buildHarnessConfig } from './harness-config.ts';

/**
 * Serves the simulated ConnectWise over real HTTP: the same msw handlers the in-process tests
 * use (through msw's `getResponse`), the `/__sim/*` control API, and the developer harness page
 * built by Vite into `webRoot`.
 */
export type SimulatedConnectWiseServerOptions = {
  sim: Sim;
  /** Interface to bind; 127.0.0.1 by default (a dev tool with a control API: never public). */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The Vite build output (dist/web): harness/index.html and assets/. */
  webRoot: string;
  /** Origin of the pod server, for the harness's default pod URL. */
  podOrigin: string;
  /** Origin playing Nilear MTX in the harness, if any… */
  nilearOrigin?: string | null;
  /** …or derived from the port once bound (e.g. `http://localhost:${port}`). */
  nilearOriginFor?: (port: number) => string;
};

export type SimulatedConnectWiseServer = { origin: string; close(): Promise<void> };

const maxBodyBytes = 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The harness frames whatever pod URL the developer types, so frames may load any http(s) page.
 * Only the simulator's own two origins may frame the harness: its "foreign origin" probe is the
 * harness page itself, loaded hidden from the other origin.
 */
const harnessCspFor = (ancestors: string[]) => [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  'frame-src http: https:',
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors ${ancestors.length > 0 ? ancestors.join(' ') : "'none'"}`,
  "object-src 'none'",
].join('; ');

const commonHeaders = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBodyBytes) throw new BodyTooLargeError();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...commonHeaders, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendEmpty(res: ServerResponse, status: number) {
  res.writeHead(status, { ...commonHeaders, 'Cache-Control': 'no-store' });
  res.end();
}

const noBuildPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harness not built</title></head>
<body><h1>The developer harness is not built yet</h1><p>Run <code>npm run build</code>, then reload this page.
The simulated ConnectWise API itself is running.</p></body></html>`;

export async function startSimulatedConnectWiseServer(options: SimulatedConnectWiseServerOptions): Promise<SimulatedConnectWiseServer> {
  const { sim, webRoot } = options;
  const host = options.host ?? '127.0.0.1';
  const assetsRoot = path.resolve(webRoot, 'assets');
  let origin = '';
  let nilearOrigin: string | null = options.nilearOrigin ?? null;

  async function serveHarness(req: IncomingMessage, res: ServerResponse) {
    const harnessCsp = harnessCspFor([origin, ...(nilearOrigin !== null ? [nilearOrigin] : [])]);
    let html: Buffer;
    try {
      html = await readFile(path.join(webRoot, 'harness', 'index.html'));
    } catch {
      res.writeHead(503, { ...commonHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': harnessCsp });
      res.end(noBuildPage);
      return;
    }
    res.writeHead(200, {
      ...commonHeaders,
      // Like a ConnectWise page with the browsers' default policy (ConnectWise's own is
      // UNCONFIRMED): the pod page then learns which address framed it (issue 11).
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': harnessCsp,
      'Content-Length': html.length,
    });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  async function serveAsset(req: IncomingMessage, res: ServerResponse, pathname: string) {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice('/assets/'.length));
    } catch {
      return sendJson(res, 400, { error: 'Malformed asset path.' });
    }
    const file = path.resolve(assetsRoot, relative);
    // Only files inside assets/: no "..", no absolute paths, no directory listings.
    if (!file.startsWith(assetsRoot + path.sep) || relative.includes('\0')) return sendJson(res, 404, { error: 'Not found.' });
    try {
      const info = await stat(file);
      if (!info.isFile()) return sendJson(res, 404, { error: 'Not found.' });
      const body = await readFile(file);
      res.writeHead(200, {
        ...commonHeaders,
        'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        // Vite names assets by content hash, so a name never changes meaning.
        'Cache-Control': 'public, max-age=31536000, immutable',
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      sendJson(res, 404, { error: 'Not found.' });
    }
  }

  async function serveControl(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const method = req.method ?? 'GET';
    const route = `${method} ${pathname}`;
    switch (route) {
      case 'GET /__sim/harness-config':
        return sendJson(res, 200, buildHarnessConfig(sim.world, { simulatorOrigin: origin, podOrigin: options.podOrigin, nilearOrigin }));
      case 'GET /__sim/faults':
        return sendJson(res, 200, { faults: sim.faults.list() });
      case 'POST /__sim/faults': {
        let raw: unknown;
        try {
          raw = JSON.parse((await readBody(req)).toString('utf8'));
        } catch (e) {
          return sendJson(res, e instanceof BodyTooLargeError ? 413 : 400, { error: e instanceof BodyTooLargeError ? 'The body is too large.' : 'The body must be JSON: a fault rule or a list of fault rules.' });
        }
        const parsed = FaultRuleInput.safeParse(raw);
        if (!parsed.success) return sendJson(res, 400, { error: `Invalid fault rules: ${z.prettifyError(parsed.error)}` });
        sim.faults.set(parsed.data);
        return sendJson(res, 200, { faults: sim.faults.list() });
      }
      case 'DELETE /__sim/faults':
        sim.faults.clear();
        return sendEmpty(res, 204);
      case 'GET /__sim/calls':
        return sendJson(res, 200, { calls: sim.calls.list() });
      case 'DELETE /__sim/calls':
        sim.calls.clear();
        return sendEmpty(res, 204);
      case 'POST /__sim/reset':
        sim.reset();
        return sendEmpty(res, 204);
      default:
        return sendJson(res, 404, { error: `No simulator control route ${route}.` });
    }
  }

  async function serveConnectWise(req: IncomingMessage, res: ServerResponse) {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = `http://${req.headers.host ?? origin.slice('http://'.length)}${req.url ?? '/'}`;
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) controller.abort();
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: Buffer | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      try {
        body = await readBody(req);
      } catch {
        return sendJson(res, 413, { code: 'RequestTooLarge', message: 'The request body is too large.' });
      }
    }
    const request = new Request(url, { method, headers, signal: controller.signal, ...(body !== undefined ? { body: new Uint8Array(body) } : {}) });
    const response = await getResponse(sim.handlers, request);
    if (response === undefined) {
      return sendJson(res, 404, { code: 'NotFound', message: 'The requested resource was not found.' });
    }
    if (response.type === 'error') {
      // HttpResponse.error(): a network error, which over HTTP is a reset connection.
      if (!req.socket.destroyed) req.socket.resetAndDestroy();
      return;
    }
    if (res.destroyed) return;
    const outHeaders: Record<string, string | string[]> = { ...commonHeaders };
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') outHeaders[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
    res.writeHead(response.status, outHeaders);
    if (response.body === null || method === 'HEAD') {
      res.end();
      return;
    }
    Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>).pipe(res);
  }

  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
    const method = req.method ?? 'GET';
    let work: Promise<void>;
    if (pathname === '/favicon.ico') {
      // Browsers ask for it on every page; an empty answer keeps the harness console clean.
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' }).end();
      return;
    }
    if (pathname.startsWith('/__sim/')) work = serveControl(req, res, pathname);
    else if ((method === 'GET' || method === 'HEAD') && (pathname === '/' || pathname === '/harness' || pathname === '/harness/')) work = serveHarness(req, res);
    else if ((method === 'GET' || method === 'HEAD') && pathname.startsWith('/assets/')) work = serveAsset(req, res, pathname);
    else work = serveConnectWise(req, res);
    work.catch(() => {
      if (!res.headersSent) sendJson(res, 500, { code: 'UnexpectedError', message: 'The simulator failed to answer.' });
      else res.destroy();
    });
  });
  // Keep-alive sockets would hold close() open in tests.
  server.keepAliveTimeout = 1000;
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  // Bound to every interface (SIM_HOST=0.0.0.0), it is still reached here over loopback.
  const originHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  origin = `http://${originHost.includes(':') ? `[${originHost}]` : originHost}:${port}`;
  if (options.nilearOriginFor !== undefined) nilearOrigin = options.nilearOriginFor(port);

  return {
    origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
        // Requests hanging on a timeout fault end with their sockets.
      }),
  };
}
