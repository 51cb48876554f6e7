import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodSession } from '../../../shared/pod-api.ts';
import { TicketContext, TicketSummary } from '../../../shared/ticket-context.ts';
import { demoCompanyId } from '../../../server/simulated-connectwise/demo.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { addTechnicians, memberAuthentication } from '../../support/members.ts';

/**
 * The pod under a service desk's load, against the simulated ConnectWise over HTTP: 200 pod
 * views at once over 20 tickets, then repeated rounds to watch the heap.
 *
 * Sizing within the limits (on purpose, not by loosening them): the pod allows 120 ticket
 * requests a minute per member and 60 session sign-ins a minute per address. A view is two
 * requests (context + summary), so the test signs in 50 technicians (added to the simulated
 * instance) and spreads the views over them round-robin: 12 rounds × 200 views = 4800
 * requests, 96 per member, and 50 sign-ins.
 */

const VIEWS = 200;
const TICKETS = 20;
const MEMBERS = 50;
const HEAP_ROUNDS = 6;
/** The bound the issue asks us to state: heap growth after a warm-up round, over 6 rounds (1200 views). */
const HEAP_GROWTH_BOUND_MB = 16;
/** A heap that has stopped growing grows less than this over the last 2 fresh rounds (measured: ~0.1 MB healthy; the leak below grows ~3.5 MB). */
const PLATEAU_BOUND_MB = 1.5;
const FRESH_ROUNDS = 4;

let stack: PodStack;
let dispatcher: Agent;
let tokens: string[];
let ticketIds: number[];

beforeAll(async () => {
  stack = await startPodStack();
  // Enough sockets that 400 requests really are in flight together.
  dispatcher = new Agent({ connections: 512, pipelining: 0 });
  const sim = stack.simulator!.sim;
  const members = addTechnicians(sim, MEMBERS);
  tokens = [];
  for (const m of members) {
    const res = await fetch(`${stack.url}/api/pod/${demoCompanyId}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(memberAuthentication(stack.simulator!.origin, m)),
    });
    expect(res.status).toBe(200);
    tokens.push(PodSession.parse(await res.json()).token);
  }
  ticketIds = sim.world
    .get(demoCompanyId)!
    .tickets.map((t) => t.id)
    .slice(0, TICKETS);
  expect(ticketIds).toHaveLength(TICKETS);
});

afterAll(async () => {
  await dispatcher?.close();
  await stack?.stop();
});

type Outcome = { path: string; status: number; body: unknown };

async function request(path: string, token: string): Promise<Outcome> {
  const res = await fetch(`${stack.url}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
    dispatcher,
  } as RequestInit);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Kept as text: the assertion below shows it.
  }
  return { path, status: res.status, body };
}

/** One pod view: the header's summary and the whole context, as the pod asks for them. */
async function view(ticketId: number, token: string): Promise<Outcome[]> {
  const base = `/api/pod/${demoCompanyId}/tickets/${ticketId}`;
  return Promise.all([request(base, token), request(`${base}/summary`, token)]);
}

let memberCursor = 0;
async function round(): Promise<Outcome[]> {
  const views = Array.from({ length: VIEWS }, (_, i) => {
    const token = tokens[memberCursor++ % tokens.length]!;
    return view(ticketIds[i % TICKETS]!, token);
  });
  return (await Promise.all(views)).flat();
}

function failures(outcomes: Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.status < 200 || o.status > 299);
}

describe('200 concurrent pod views over 20 tickets', () => {
  it('all succeed with well-formed contexts, and each ticket is read from ConnectWise at most once', async () => {
    const sim = stack.simulator!.sim;
    sim.calls.clear();

    const outcomes = await round();

    expect(outcomes).toHaveLength(VIEWS * 2);
    expect(failures(outcomes)).toEqual([]);
    for (const o of outcomes) {
      if (o.path.endsWith('/summary')) TicketSummary.parse(o.body);
      else TicketContext.parse(o.body);
    }

    // Single-flight: 10 concurrent views of each ticket share one read with the API keys
    // (the member's own access check is a separate read with the member's credentials).
    const perTicket = ticketIds.map((id) => ({ id, reads: sim.calls.count({ path: `service/tickets/${id}`, auth: 'api' }) }));
    expect(perTicket.filter((t) => t.reads > 1)).toEqual([]);

    // And no other part either: every distinct ConnectWise read with the API keys happened once.
    const apiReads = sim.calls.list({ auth: 'api', method: 'GET' });
    const byRequest = new Map<string, number>();
    for (const c of apiReads) byRequest.set(`${c.path}?${c.search}`, (byRequest.get(`${c.path}?${c.search}`) ?? 0) + 1);
    expect([...byRequest].filter(([, n]) => n > 1)).toEqual([]);
    console.info(
      `load: ${VIEWS} views (${outcomes.length} requests), ${failures(outcomes).length} errors, ` +
        `${apiReads.length} ConnectWise reads with the API keys, ` +
        `${sim.calls.count({ path: 'service/tickets/*' }) - apiReads.filter((c) => /service\/tickets\//.test(c.path)).length} member access checks`,
    );
  });

  it(`keeps the heap bounded: under ${HEAP_GROWTH_BOUND_MB} MB of growth over ${HEAP_ROUNDS} more rounds`, async () => {
    await settledHeap();
    // Warm-up: JIT, module caches, lru-cache's arrays and the sockets reach their working size.
    expect(failures(await round())).toEqual([]);
    const before = await settledHeap();
    const samples: number[] = [];
    for (let i = 0; i < HEAP_ROUNDS; i += 1) {
      expect(failures(await round())).toEqual([]);
      samples.push(await settledHeap());
    }
    const growthMb = (samples.at(-1)! - before) / 2 ** 20;
    console.info(`heap (cached views): ${describeHeap(before, samples)}; growth ${growthMb.toFixed(1)} MB`);
    expect(growthMb).toBeLessThan(HEAP_GROWTH_BOUND_MB);
  }, 90_000);

  // Regression: lru-cache 11.5.3's fetch() kept about 0.5 kB per refreshed entry when given a
  // `signal`; part-cache now passes its abort signal through the fetch context instead.
  it(`stops growing when every view refreshes its data (${FRESH_ROUNDS} rounds of ?fresh=1)`, async () => {
    const samples: number[] = [];
    for (let i = 0; i < FRESH_ROUNDS; i += 1) {
      expect(failures(await freshRound())).toEqual([]);
      samples.push(await settledHeap());
    }
    const half = Math.floor(FRESH_ROUNDS / 2);
    const lateGrowthMb = (samples.at(-1)! - samples[half - 1]!) / 2 ** 20;
    console.info(`heap (fresh views): ${describeHeap(samples[0]!, samples)}; growth over the last ${FRESH_ROUNDS - half} rounds ${lateGrowthMb.toFixed(1)} MB`);
    // A bounded heap has reached its working size by the middle rounds.
    expect(lateGrowthMb).toBeLessThan(PLATEAU_BOUND_MB);
  }, 90_000);
});

// vitest's worker has no --expose-gc flag; V8 can still hand out gc() when asked.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function settledHeap(): Promise<number> {
  // The simulator runs in this process too; its request log (capped at 10 000 entries) is
  // not the pod's memory.
  stack.simulator!.sim.calls.clear();
  // Several collections with turns of the event loop between, so FinalizationRegistry
  // clean-ups (undici, AbortSignal) run and what is left is really retained.
  for (let i = 0; i < 4; i += 1) {
    gc();
    await new Promise((r) => setTimeout(r, 25));
  }
  return process.memoryUsage().heapUsed;
}

function describeHeap(before: number, samples: number[]): string {
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  return `${mb(before)} MB at the start; after each round ${samples.map(mb).join(', ')} MB`;
}

/** A round where every view asks for fresh data (the refresh control), bypassing the caches. */
async function freshRound(): Promise<Outcome[]> {
  const views = Array.from({ length: VIEWS }, (_, i) => {
    const token = tokens[memberCursor++ % tokens.length]!;
    const base = `/api/pod/${demoCompanyId}/tickets/${ticketIds[i % TICKETS]!}`;
    return Promise.all([request(`${base}?fresh=1`, token), request(`${base}/summary?fresh=1`, token)]);
  });
  return (await Promise.all(views)).flat();
}
