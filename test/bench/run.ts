import os from 'node:os';
import { webDir } from '../support/pod-stack.ts';
import { bundleRows, measureBundle } from './bundle.ts';
import { callRows, measureCalls } from './calls-per-view.ts';
import { describeMachine } from './machine.ts';
import { formatTable, type Row } from './report.ts';
import { measureSolvedBefore, solvedBeforeRows } from './solved-before.ts';
import { CONNECTIONS, DURATION_S, PIPELINING, measureThroughput, throughputRows } from './throughput.ts';
import { LATENCY_MS, measureTimeToContext, ttcRows } from './time-to-context.ts';
import { measureScaleOut, scaleOutRows } from './scale-out.ts';

/**
 * `npm run bench` (after `npm run build`): the pod's first-load size, time-to-context in
 * real Chromium, the ticket-context endpoint's throughput beside a node:http baseline, and
 * ConnectWise calls per view. Prints one table; exits 1 when a budget or target is broken.
 */
const started = performance.now();
const load = os.loadavg().map((n) => n.toFixed(2)).join(' ');
const progress = (what: string) => process.stderr.write(`bench: ${what}…\n`);

progress('bundle');
const bundle = await measureBundle(webDir);
progress('ConnectWise calls per view');
const calls = await measureCalls();
progress(`time-to-context (20 loads in Chromium, L = ${LATENCY_MS} ms)`);
const ttc = await measureTimeToContext();
progress(`server throughput (4 × ${DURATION_S} s autocannon)`);
const throughput = await measureThroughput();
progress('scale-out sizing (PostgreSQL cluster, 2 × 5 s autocannon, heap per tenant and per view)');
const scaleOut = await measureScaleOut();
progress('Solved before (precision@3 over the labelled set; the card cold and warm)');
const solved = await measureSolvedBefore();

const rows: Row[] = [
  ...bundleRows(bundle),
  ...ttcRows(ttc),
  ...throughputRows(throughput),
  ...scaleOutRows(scaleOut),
  ...callRows(calls),
  ...solvedBeforeRows(solved),
];
const failed = rows.filter((r) => r.pass === false);

console.log(formatTable(rows));
console.log('');
console.log(`Machine: ${describeMachine(ttc.chromium)}; load average at start ${load}.`);
console.log(
  `Server load: autocannon in a worker thread, ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${DURATION_S} s each, ` +
    `GET /api/pod/demo/tickets/1001 (${throughput.bodyBytes} B of JSON, uncompressed: autocannon sends no Accept-Encoding); ` +
    'the pod server, the simulated ConnectWise and the baseline share the main thread.',
);
console.log(
  'Calls per view: REST calls under /apis/3.0/ while the pod serves one view (its summary and context requests, the ' +
    "member's own ticket read included); companyinfo (once per tenant, 1 h), myMembers/info and mySecurity (once per member session, 5 min; reported as the session's figure) not counted.",
);
console.log(`Took ${((performance.now() - started) / 1000).toFixed(0)} s. ${failed.length === 0 ? 'All budgets met.' : `Broken: ${failed.map((r) => r.figure.trim()).join('; ')}.`}`);
process.exit(failed.length === 0 ? 0 : 1);
