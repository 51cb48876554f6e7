import type { Sim } from '../../server/simulated-connectwise/simulator.ts';
import { solvedBeforeLabels } from '../../server/simulated-connectwise/fixtures/solved-before.ts';
import { SolvedBefore } from '../../shared/solved-before.ts';
import { startPodStack } from '../support/pod-stack.ts';
import { demoTechnicianCredentials } from './demo-data.ts';
import { getJson, openSession, podView } from './pod-client.ts';
import { row, type Row } from './report.ts';
import { LATENCY_MS } from './time-to-context.ts';

/** Issue 15's target: of the top 3 hits, at least 0.8 are tickets a technician would call related. */
export const PRECISION_TARGET = 0.8;
const K = 3;
const CARD_TICKET = 1001;

export type SolvedBeforeFigures = {
  precision: number;
  labelled: number;
  misses: { ticketId: number; top: number[] }[];
  coldMs: number;
  warmMs: number;
  sameCompanyMs: number;
  coldCalls: string[];
  warmCalls: string[];
  sameCompanyCalls: string[];
};

function restCalls(sim: Sim): string[] {
  return sim.calls
    .list()
    .filter((c) => c.path.includes('/apis/3.0/'))
    .map((c) => `${c.method} ${c.path.slice(c.path.indexOf('/apis/3.0/') + 10)} [${c.auth === 'api' ? 'api' : 'member'}]`);
}

async function card(podUrl: string, token: string, ticketId: number): Promise<{ ms: number; answer: SolvedBefore }> {
  const started = performance.now();
  const res = await getJson(`${podUrl}/api/pod/demo/tickets/${ticketId}/solved-before`, token);
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`solved-before of ${ticketId}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  return { ms, answer: SolvedBefore.parse(JSON.parse(res.body)) };
}

/**
 * Solved before over HTTP, as the card asks: precision@3 over the simulator's labelled set (a
 * technician who sees every board), then the card's latency and ConnectWise calls on a fresh
 * server with L ms per ConnectWise call: cold (the company never searched; the ticket view
 * already shown, as in the pod), warm (the same card again) and another ticket of the company.
 */
export async function measureSolvedBefore(): Promise<SolvedBeforeFigures> {
  const quality = await startPodStack();
  let precision = 0;
  const misses: SolvedBeforeFigures['misses'] = [];
  try {
    const token = await openSession(quality.url, demoTechnicianCredentials);
    let hits = 0;
    for (const label of solvedBeforeLabels) {
      const { answer } = await card(quality.url, token, label.openTicketId);
      if (!answer.hits.ok) throw new Error(`search for ${label.openTicketId} failed: ${answer.hits.error.message}`);
      const top = answer.hits.data.slice(0, K).map((h) => h.id);
      const good = top.filter((id) => label.related.includes(id)).length;
      hits += good;
      if (good < K) misses.push({ ticketId: label.openTicketId, top });
    }
    precision = hits / (K * solvedBeforeLabels.length);
  } finally {
    await quality.stop();
  }

  const stack = await startPodStack();
  const sim = stack.simulator!.sim;
  try {
    const token = await openSession(stack.url, demoTechnicianCredentials);
    sim.faults.set({ kind: 'latency', ms: LATENCY_MS });
    await podView(stack.url, token, CARD_TICKET);
    await podView(stack.url, token, 1015);
    sim.calls.clear();
    const cold = await card(stack.url, token, CARD_TICKET);
    const coldCalls = restCalls(sim);
    sim.calls.clear();
    const warm = await card(stack.url, token, CARD_TICKET);
    const warmCalls = restCalls(sim);
    sim.calls.clear();
    const sameCompany = await card(stack.url, token, 1015);
    const sameCompanyCalls = restCalls(sim);
    return {
      precision,
      labelled: solvedBeforeLabels.length,
      misses,
      coldMs: cold.ms,
      warmMs: warm.ms,
      sameCompanyMs: sameCompany.ms,
      coldCalls,
      warmCalls,
      sameCompanyCalls,
    };
  } finally {
    sim.faults.clear();
    await stack.stop();
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const count = (calls: string[], part: string) => calls.filter((c) => c.includes(part)).length;

export function solvedBeforeRows(f: SolvedBeforeFigures): Row[] {
  const candidateQueries = (calls: string[]) => calls.filter((c) => /GET service\/tickets \[api\]/.test(c)).length;
  return [
    row({
      figure: `Solved before: precision@${K} over ${f.labelled} labelled tickets`,
      value: f.precision.toFixed(2),
      baseline: f.misses.length === 0 ? 'no misses' : `misses: ${f.misses.map((m) => `${m.ticketId}→${m.top.join(',')}`).join('; ')}`,
      target: `≥ ${PRECISION_TARGET}`,
      pass: f.precision >= PRECISION_TARGET,
    }),
    row({
      figure: `Solved before card, cold (L = ${LATENCY_MS} ms), ticket ${CARD_TICKET}`,
      value: ms(f.coldMs),
      baseline: `${f.coldCalls.length} calls: 1 candidate query, ${count(f.coldCalls, 'allNotes')} resolutions, ${count(f.coldCalls, '[member]')} member checks`,
      ratio: `${(f.coldMs / LATENCY_MS).toFixed(1)} L`,
      target: '1 candidate query',
      pass: candidateQueries(f.coldCalls) === 1,
    }),
    row({
      figure: 'Solved before card, warm (same card again)',
      value: ms(f.warmMs),
      baseline: `${f.warmCalls.length} calls`,
      ratio: `${(f.warmMs / Math.max(1, f.coldMs)).toFixed(2)}× cold`,
      target: 'no candidate query, no notes',
      pass: candidateQueries(f.warmCalls) === 0 && count(f.warmCalls, 'allNotes') === 0,
    }),
    row({
      figure: 'Solved before card, another ticket of the company (1015)',
      value: ms(f.sameCompanyMs),
      baseline: `${f.sameCompanyCalls.length} calls (${count(f.sameCompanyCalls, 'allNotes')} resolutions)`,
      target: 'no candidate query',
      pass: candidateQueries(f.sameCompanyCalls) === 0,
    }),
  ];
}
