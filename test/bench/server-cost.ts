import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';
import { demoTicketIds } from '../../server/simulated-connectwise/demo.ts';
import { startPodStack } from '../support/pod-stack.ts';
import { addTechnicians } from '../support/members.ts';
import { addRichTicketCopies } from './demo-data.ts';
import { podView } from './pod-client.ts';
import { row, type Row } from './report.ts';
import { sessions } from './throughput.ts';

/** Views per CPU batch; the members spread them under the pod API's 120 requests a minute each. */
export const CPU_VIEWS = 400;
const CPU_MEMBERS = 100;
/** Distinct cached views / tenants whose heap is measured. */
export const MEMORY_VIEWS = 200;
export const MEMORY_TENANTS = 200;

/**
 * A real collector when the process allows one: --expose-gc, or V8's flag set at run time
 * (a function obtained from a fresh context then). null: heap figures are approximations
 * (V8 collects when it likes), and the rows say so.
 */
function collector(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    return typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    return null;
  }
}

async function settledHeap(gc: (() => void) | null): Promise<number> {
  // Twice, with a turn between: weak references and finalisers let go on the second pass.
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * CPU of the main thread (process.threadCpuUsage) while autocannon, in a worker thread,
 * makes `views` views (summary + context, 2 requests each): the pod server's work, plus the
 * simulated ConnectWise's for cold views (it shares the main thread; there is no way to
 * separate it without a production change, so the cold figure is an upper bound).
 */
async function cpuPerView(url: string, tokens: string[], views: number, query: string): Promise<number> {
  const base = `/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`;
  const requests = tokens.flatMap((token) => {
    const headers = { authorization: `Bearer ${token}` };
    return [
      { method: 'GET' as const, path: `${base}/summary${query}`, headers },
      { method: 'GET' as const, path: `${base}${query}`, headers },
    ];
  });
  const before = process.threadCpuUsage();
  const r = await autocannon({ url, connections: 10, pipelining: 1, amount: views * 2, workers: 1, requests });
  const used = process.threadCpuUsage(before);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`CPU batch: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return (used.user + used.system) / (r.requests.total / 2);
}

export type ServerCostFigures = {
  warmCpuUs: number;
  coldCpuUs: number;
  viewBytes: number;
  tenantBytes: number;
  gc: boolean;
};

export async function measureServerCost(): Promise<ServerCostFigures> {
  const gc = collector();
  const stack = await startPodStack({ TRUST_PROXY: '1' });
  try {
    const sim = stack.simulator!.sim;
    sim.faults.clear();
    const tokens = await sessions(stack.url, addTechnicians(sim, CPU_MEMBERS, 'benchcpu'), 2000);
    // Fill the caches (ticket parts, each member's access answer), then measure warm, then cold.
    for (const token of tokens) await podView(stack.url, token, demoTicketIds.helpDeskOpen);
    // One unmeasured batch first: the figure is the steady state, not V8 compiling the route.
    await cpuPerView(stack.url, tokens, CPU_VIEWS / 4, '');
    const warmCpuUs = await cpuPerView(stack.url, tokens, CPU_VIEWS, '');
    const coldCpuUs = await cpuPerView(stack.url, tokens, Math.min(CPU_VIEWS, 100), '?fresh=1');

    // Memory per cached view: MEMORY_VIEWS distinct cold views (their ConnectWise data added
    // to the simulator before the first heap reading), all parts cached on the server.
    const ticketIds = addRichTicketCopies(sim, MEMORY_VIEWS, 900_001);
    const before = await settledHeap(gc);
    for (let i = 0; i < ticketIds.length; i += 10) {
      await Promise.all(ticketIds.slice(i, i + 10).map((id) => podView(stack.url, tokens[id % tokens.length]!, id)));
    }
    const viewBytes = ((await settledHeap(gc)) - before) / ticketIds.length;

    // Memory per tenant: tenants stored through the admin API, then each one's pod page
    // served (the tenant loaded and cached, its page built); the heap delta of the pages.
    const admin = { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' };
    const companies = Array.from({ length: MEMORY_TENANTS }, (_, i) => `benchtenant${i}`);
    for (const company of companies) {
      const res = await fetch(`${stack.url}/api/admin/tenants/${company}`, {
        method: 'PUT',
        headers: admin,
        body: JSON.stringify({ site: stack.simulator!.origin, publicKey: 'benchpublic', privateKey: 'benchprivate' }),
      });
      if (res.status >= 300) throw new Error(`tenant ${company}: HTTP ${res.status} ${await res.text()}`);
    }
    const beforeTenants = await settledHeap(gc);
    // Within the tenant cache's 5 s lifetime: every tenant is held while the heap is read.
    await Promise.all(
      companies.map(async (company) => {
        const res = await fetch(`${stack.url}/hostedapis/connectwiseiframe/${company}`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`pod page of ${company}: HTTP ${res.status}`);
      }),
    );
    const tenantBytes = ((await settledHeap(gc)) - beforeTenants) / companies.length;
    return { warmCpuUs, coldCpuUs, viewBytes, tenantBytes, gc: gc !== null };
  } finally {
    await stack.stop();
  }
}

const us = (n: number) => `${Math.round(n).toLocaleString('en-US')} µs`;
const kiB = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function serverCostRows(c: ServerCostFigures): Row[] {
  const how = c.gc ? 'heap after full GC' : 'heap without a forced GC: approximate';
  return [
    row({ figure: 'Server CPU per warm view (summary + context; main thread)', value: us(c.warmCpuUs) }),
    row({ figure: 'Server CPU per cold view (?fresh=1; main thread, simulated ConnectWise included)', value: us(c.coldCpuUs) }),
    row({ figure: `Server memory per cached view (${MEMORY_VIEWS} distinct tickets; ${how})`, value: kiB(c.viewBytes) }),
    row({ figure: `Server memory per tenant (${MEMORY_TENANTS} tenants' pod pages; ${how})`, value: kiB(c.tenantBytes) }),
  ];
}
