import { buildDemoInstance } from '../../../server/simulated-connectwise/fixtures/demo-instance.ts';
import { solvedBeforeLabels } from '../../../server/simulated-connectwise/fixtures/solved-before.ts';
import type { CwRecord, JsonRecord } from '../../../server/simulated-connectwise/world.ts';
import { toCandidate } from '../../../server/solved-before/candidates.ts';
import { buildIndex, rank, type Probe, type Ranked, type SolvedIndex } from '../../../server/solved-before/rank.ts';
import { CwClosedTicket } from '../../../server/solved-before/schemas.ts';

/**
 * The simulator's labelled set, ranked in process (no HTTP): the index of each company's
 * closed tickets of the last 12 months and a probe per labelled open ticket, as the service
 * builds them from ConnectWise's answers.
 */
const instance = buildDemoInstance();
const ref = (v: unknown) => (v !== null && typeof v === 'object' && typeof (v as JsonRecord)['id'] === 'number' ? (v as { id: number; name?: string }) : undefined);
const companyOf = (t: CwRecord) => ref(t['company'])?.id;
const yearAgo = Date.now() - 365 * 86_400_000;

const indexes = new Map<number, SolvedIndex>();
export function companyIndex(companyId: number): SolvedIndex {
  let index = indexes.get(companyId);
  if (index === undefined) {
    const rows = instance.tickets
      .filter((t) => companyOf(t) === companyId && t['closedFlag'] === true && Date.parse(String(t['closedDate'])) >= yearAgo)
      .map((t) => CwClosedTicket.parse(t));
    index = buildIndex(rows.flatMap((r) => toCandidate(r) ?? []));
    indexes.set(companyId, index);
  }
  return index;
}

export function configurationsOf(ticketId: number): number[] {
  return instance.ticketConfigurations.filter((x) => x.ticketId === ticketId).map((x) => x.configurationId);
}

export function probeOf(ticketId: number): Probe {
  const t = instance.tickets.find((x) => x.id === ticketId);
  if (t === undefined) throw new Error(`no ticket ${ticketId}`);
  const description = instance.notes.find((n) => n['ticketId'] === ticketId && n['detailDescriptionFlag'] === true)?.['text'];
  const named = (v: unknown) => {
    const r = ref(v);
    return r === undefined ? undefined : { id: r.id, name: r.name };
  };
  return {
    ticketId,
    summary: String(t['summary']),
    description: typeof description === 'string' ? description : undefined,
    type: named(t['type']),
    subType: named(t['subType']),
    item: named(t['item']),
    configurations: configurationsOf(ticketId).map((id) => ({ id, name: String(instance.configurations.find((c) => c.id === id)?.['name'] ?? id) })),
  };
}

export function rankFor(ticketId: number, companyId: number): Ranked[] {
  return rank(companyIndex(companyId), probeOf(ticketId), configurationsOf);
}

export { solvedBeforeLabels };

/** precision@k over the whole labelled set, and the per-ticket misses for a report. */
export function precisionAt(k: number): { precision: number; perTicket: { id: number; top: number[]; hits: number }[] } {
  const perTicket = solvedBeforeLabels.map((label) => {
    const top = rankFor(label.openTicketId, label.companyId).slice(0, k).map((r) => r.candidate.id);
    return { id: label.openTicketId, top, hits: top.filter((id) => label.related.includes(id)).length };
  });
  const precision = perTicket.reduce((n, t) => n + t.hits, 0) / (perTicket.length * k);
  return { precision, perTicket };
}
