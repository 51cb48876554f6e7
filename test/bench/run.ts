import os from 'node:os';
import { webDir } from '../support/pod-stack.ts';
import { BOOT_LOADS, bootRows, measureBoot } from './blank-frame.ts';
import { bundleRows, measureBundle } from './bundle.ts';
import { callRows, measureCalls } from './calls-per-view.ts';
import { describeMachine } from './machine.ts';
import { formatTable, median, type Row } from './report.ts';
import { measureServerCost, serverCostRows } from './server-cost.ts';
import { measureSolvedBefore, solvedBeforeRows } from './solved-before.ts';
import { CONNECTIONS, DURATION_S, PIPELINING, measureThroughput, throughputRows } from './throughput.ts';
import { LATENCY_MS, measureTimeToContext, ttcRows } from './time-to-context.ts';
import { measureScaleOut, scaleOutRows } from './scale-out.ts';

/**
 * `npm run bench` (after `npm run build`): the pod's first-load size, time-to-context in
 * real Chromium, the ticket-context endpoint's throughput beside a node:http baseline, and
 * ConnectWise calls per view. Prints one table; exits 1 when a budget or target is broken.
 * BENCH_ONLY=part,part runs only those parts (bundle, calls, ttc, throughput, boot, cost).
 */
const started = performance.now();
const load = os.loadavg().map((n) => n.toFixed(2)).join(' ');
const progress = (what: string) => process.stderr.write(`bench: ${what}…\n`);

const only = process.env.BENCH_ONLY?.split(',').map((p) => p.trim());
const want = (part: string) => only === undefined || only.includes(part);
const measure = async <T>(part: string, what: string, fn: () => Promise<T>): Promise<T | undefined> => {
  if (!want(part)) return undefined;
  progress(what);
  return fn();
};

const bundle = await measure('bundle', 'bundle', () => measureBundle(webDir));
const calls = await measure('calls', 'ConnectWise calls per view', measureCalls);
const boot = await measure('boot', `pod vs blank frame boot (${BOOT_LOADS} + 1 loads each in Chromium)`, measureBoot);
const ttc = await measure('ttc', `time-to-context (20 loads in Chromium, L = ${LATENCY_MS} ms)`, measureTimeToContext);
const throughput = await measure('throughput', `server throughput (4 × ${DURATION_S} s autocannon)`, measureThroughput);
const cost = await measure('cost', 'server CPU and memory per view and per tenant', measureServerCost);
const scaleOut = await measure('scale-out', 'scale-out sizing (PostgreSQL cluster, 2 × 5 s autocannon, heap per tenant and per view)', measureScaleOut);
const solved = await measure('solved-before', 'Solved before (precision@3 over the labelled set; the card cold and warm)', measureSolvedBefore);

const rows: Row[] = [
  ...(bundle ? bundleRows(bundle) : []),
  ...(boot ? bootRows(boot) : []),
  ...(ttc ? ttcRows(ttc, boot ? median(boot.blank) : undefined) : []),
  ...(throughput ? throughputRows(throughput) : []),
  ...(cost ? serverCostRows(cost) : []),
  ...(scaleOut ? scaleOutRows(scaleOut) : []),
  ...(calls ? callRows(calls) : []),
  ...(solved ? solvedBeforeRows(solved) : []),
];
const failed = rows.filter((r) => r.pass === false);

console.log(formatTable(rows));
console.log('');
console.log(`Machine: ${describeMachine(ttc?.chromium ?? null)}; load average at start ${load}.`);
if (only !== undefined) console.log(`Parts run: ${only.join(', ')} (BENCH_ONLY).`);
if (throughput) console.log(
  `Server load: autocannon in a worker thread, ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${DURATION_S} s each, ` +
    `GET /api/pod/demo/tickets/1001 (${throughput.bodyBytes} B of JSON, uncompressed: autocannon sends no Accept-Encoding); ` +
    'the pod server, the simulated ConnectWise and the baseline share the main thread.',
);
if (boot) console.log(
  'Boot: frame navigation start → the page\'s script running (pod: \'pod:started\', after its handshake is sent; blank: after its one postMessage), ' +
    'both loaded through the harness\'s "Load URL" once the harness and its first pod had settled. The blank page comes from a small Express app in ' +
    'this process built from server/http/security-headers.ts (the pod server cannot serve it without a production change); its security headers are checked equal to the pod page\'s.',
);
if (cost) console.log(
  'Server cost: CPU of the main thread (process.threadCpuUsage) over a bounded batch of views driven by autocannon in a worker thread; ' +
    'memory: heap delta over distinct cached views and over tenants whose pod page was served, after a forced GC when available.',
);
if (calls) console.log(
  'Calls per view: REST calls under /apis/3.0/ while the pod serves one view (its summary and context requests, the ' +
    "member's own ticket read included); companyinfo (once per tenant, 1 h), myMembers/info and mySecurity (once per member session, 5 min; reported as the session's figure) not counted.",
);
console.log(`Took ${((performance.now() - started) / 1000).toFixed(0)} s. ${failed.length === 0 ? 'All budgets met.' : `Broken: ${failed.map((r) => r.figure.trim()).join('; ')}.`}`);
process.exit(failed.length === 0 ? 0 : 1);
