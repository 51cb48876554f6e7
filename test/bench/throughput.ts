import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import express from 'express';
import helmet from 'helmet';
import { demoTicketIds } from '../../server/simulated-connectwise/demo.ts';
import { startPodStack } from '../support/pod-stack.ts';
import { addTechnicians, memberCredentials } from '../support/members.ts';
import { getJson, openSession } from './pod-client.ts';
import { ms, perSecond, row, times, type Row } from './report.ts';

export const DURATION_S = 8;
export const CONNECTIONS = 20;
export const PIPELINING = 1;
export const WARM_TARGET_RATIO = 0.5;

/** The pod API allows 120 requests a minute per member; this many members per run keeps every answer a 200. */
const WARM_MEMBERS = 600;
const FRESH_MEMBERS = 150;

export type LoadFigures = { rps: number; p50: number; p99: number; requests: number; non2xx: number; errors: number };
export type ThroughputFigures = { warm: LoadFigures; fresh: LoadFigures; baseline: LoadFigures; framework: LoadFigures; bodyBytes: number };

/** Listens on a free loopback port; resolves with the base URL. */
async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export type Req = { method: 'GET'; path: string; headers: Record<string, string> };

export async function load(url: string, requests: Req[], duration = DURATION_S): Promise<LoadFigures> {
  // A worker thread drives the load: the servers under test keep the main thread to themselves.
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration,
    workers: 1,
    requests,
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** Opens one session per member, each from its own client address (TRUST_PROXY=1 in the bench). */
export async function sessions(podUrl: string, members: ReturnType<typeof addTechnicians>, firstAddress: number): Promise<string[]> {
  const credentials = members.map((m) => memberCredentials(m));
  const tokens: string[] = [];
  for (let i = 0; i < credentials.length; i += 25) {
    const batch = credentials.slice(i, i + 25);
    tokens.push(
      ...(await Promise.all(
        batch.map((m, j) => {
          const n = firstAddress + i + j;
          return openSession(podUrl, m, `10.77.${(n >> 8) & 255}.${n & 255}`);
        }),
      )),
    );
  }
  return tokens;
}

/**
 * Requests per second and latency of GET /api/pod/demo/tickets/1001 (Bearer), driven by
 * autocannon against the product with the simulator at 0 ms latency: with a warm cache, and
 * with caches off (?fresh=1: every request re-reads ConnectWise); beside a minimal node:http
 * server answering the same JSON bytes, measured in the same run with the same load.
 * The load is spread over many members (the per-member rate limit stays on) whose sessions
 * come from distinct client addresses through X-Forwarded-For (TRUST_PROXY=1).
 */
export async function measureThroughput(): Promise<ThroughputFigures> {
  const stack = await startPodStack({ TRUST_PROXY: '1' });
  let baseline: Server | undefined;
  let framework: Server | undefined;
  try {
    const sim = stack.simulator!.sim;
    sim.faults.clear();
    const path = `/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`;
    const warmTokens = await sessions(stack.url, addTechnicians(sim, WARM_MEMBERS, 'benchwarm'), 0);
    const freshTokens = await sessions(stack.url, addTechnicians(sim, FRESH_MEMBERS, 'benchfresh'), WARM_MEMBERS);

    // Fill the caches: the ticket's parts, and each member's access answer.
    let body = '';
    for (const token of [...warmTokens, ...freshTokens]) {
      const res = await getJson(`${stack.url}${path}`, token);
      if (res.status !== 200) throw new Error(`warm-up: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      body = res.body;
    }
    const asRequests = (tokens: string[], p: string): Req[] =>
      tokens.map((token) => ({ method: 'GET', path: p, headers: { authorization: `Bearer ${token}` } }));

    const warm = await load(stack.url, asRequests(warmTokens, path));
    const fresh = await load(stack.url, asRequests(freshTokens, `${path}?fresh=1`));

    const bytes = Buffer.from(body);
    baseline = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
      res.end(bytes);
    });
    const base = await load(await listen(baseline), asRequests(warmTokens, path));

    // The framework's own ceiling under the same load: Express 5 and helmet's defaults, one
    // route answering the same bytes, nothing else (no session, limits, cache or logging).
    const bare = express();
    bare.set('etag', false);
    bare.use(helmet());
    bare.get('/api/pod/:companyId/tickets/:ticketId', (_req, res) => {
      res.type('json').send(bytes);
    });
    framework = createServer(bare);
    const frame = await load(await listen(framework), asRequests(warmTokens, path));
    return { warm, fresh, baseline: base, framework: frame, bodyBytes: bytes.length };
  } finally {
    for (const s of [baseline, framework]) {
      s?.closeAllConnections();
      s?.close();
    }
    await stack.stop();
  }
}

const lat = (f: LoadFigures) => `p50 ${ms(f.p50)}, p99 ${ms(f.p99)}`;
const clean = (f: LoadFigures) => f.non2xx === 0 && f.errors === 0;
const problems = (f: LoadFigures) => (clean(f) ? '' : `; ${f.non2xx} non-2xx, ${f.errors} errors`);

export function throughputRows(t: ThroughputFigures): Row[] {
  const b = t.baseline;
  const ratio = t.warm.rps / b.rps;
  return [
    row({
      figure: 'Ticket context, warm cache: req/s',
      value: `${perSecond(t.warm.rps)}${problems(t.warm)}`,
      baseline: perSecond(b.rps),
      ratio: times(ratio),
      target: `≥ ${WARM_TARGET_RATIO}× baseline`,
      pass: ratio >= WARM_TARGET_RATIO && clean(t.warm) && clean(b),
    }),
    // No latency ratio: the baseline's p50 is often 0 ms at this load, and a ratio to it means nothing.
    row({ figure: 'Ticket context, warm cache: latency', value: lat(t.warm), baseline: lat(b) }),
    row({
      figure: '  for scale: bare Express 5 + helmet, one route, same JSON: req/s',
      value: `${perSecond(t.framework.rps)}${problems(t.framework)}`,
      baseline: perSecond(b.rps),
      ratio: times(t.framework.rps / b.rps),
    }),
    row({
      figure: 'Ticket context, caches off (?fresh=1): req/s',
      value: `${perSecond(t.fresh.rps)}${problems(t.fresh)}`,
      baseline: perSecond(b.rps),
      ratio: times(t.fresh.rps / b.rps),
      pass: clean(t.fresh) ? null : false,
      target: clean(t.fresh) ? '' : 'all 2xx',
    }),
    row({ figure: 'Ticket context, caches off: latency', value: lat(t.fresh), baseline: lat(b) }),
  ];
}
