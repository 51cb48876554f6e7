import MiniSearch, { type SearchResult } from 'minisearch';
import type { Ref } from '../../shared/ticket-context.ts';
import { processTerm, termsOf, tokenize } from './text.ts';

/** A closed ticket as the index holds it: what ranking and the card need, nothing more. */
export type Candidate = {
  id: number;
  summary: string;
  /** Only when ConnectWise returns `initialDescription` in lists (see schemas.ts). */
  description: string | undefined;
  board: { id: number | null; name: string | undefined };
  type: number | undefined;
  subType: number | undefined;
  item: number | undefined;
  closedAt: string | undefined;
  resolvedBy: string | undefined;
};

/** The open ticket we look for: its text, classification and configurations. */
export type Probe = {
  ticketId: number;
  summary: string;
  description: string | undefined;
  type: Ref | undefined;
  subType: Ref | undefined;
  item: Ref | undefined;
  configurations: Ref[];
};

export type Ranked = {
  candidate: Candidate;
  score: number;
  /** Words of the probe the candidate matched (as the probe wrote them). */
  matched: string[];
  sharedConfigurations: string[];
  sameClassification: string | undefined;
};

export type SolvedIndex = {
  readonly candidates: ReadonlyMap<number, Candidate>;
  readonly search: MiniSearch<Candidate>;
  /** Rough bytes held, for the cache's memory bound. */
  readonly size: number;
};

/**
 * Tuning, measured on the simulator's labelled set (`npm run bench`, precision@3): the
 * summary is what technicians write with care, so it weighs most on both sides; the probe's
 * description adds context at half weight. Fuzzy matching only on words of 5+ letters
 * (edit distance 1 for those, ~20 %) catches "pritner" without matching "vpn" to "pen".
 */
const FIELD_BOOST = { summary: 2, description: 1 } as const;
const SUMMARY_TERM_WEIGHT = 1;
const DESCRIPTION_TERM_WEIGHT = 0.5;
/** Multipliers on the text score: a shared configuration (the strongest sign of "same thing again") doubles it. */
const BOOST = { configuration: 1, item: 0.25, subType: 0.2, type: 0.05 } as const;
/** A hit scoring under this fraction of the best is noise next to it. */
const RELATIVE_FLOOR = 0.1;

export function buildIndex(candidates: readonly Candidate[]): SolvedIndex {
  const search = new MiniSearch<Candidate>({
    fields: ['summary', 'description'],
    idField: 'id',
    tokenize,
    processTerm,
    searchOptions: { processTerm },
  });
  const map = new Map<number, Candidate>();
  let size = 0;
  for (const c of candidates) {
    if (map.has(c.id)) continue;
    map.set(c.id, c);
    search.add(c);
    // Strings twice (UTF-16) in the row and again in the index's terms, plus per-row overhead.
    size += 4 * (c.summary.length + (c.description?.length ?? 0)) + 400;
  }
  return { candidates: map, search, size };
}

function classification(probe: Probe, c: Candidate): { boost: number; label: string | undefined } {
  if (probe.item !== undefined && c.item === probe.item.id) {
    return { boost: BOOST.item + BOOST.subType, label: probe.item.name && `same item: ${probe.item.name}` };
  }
  if (probe.subType !== undefined && c.subType === probe.subType.id) {
    return { boost: BOOST.subType, label: probe.subType.name && `same subtype: ${probe.subType.name}` };
  }
  if (probe.type !== undefined && c.type === probe.type.id) return { boost: BOOST.type, label: undefined };
  return { boost: 0, label: undefined };
}

/**
 * Ranks the index against the probe: BM25 over summaries (and descriptions, when present),
 * raised by a shared configuration or the same item/subtype/type. `configurationsOf` gives
 * the configurations known for a candidate (read for the top text hits only; absent for the
 * rest). The probe's own ticket never appears.
 */
export function rank(
  index: SolvedIndex,
  probe: Probe,
  configurationsOf: (ticketId: number) => readonly number[] | undefined = () => undefined,
): Ranked[] {
  const summaryTerms = termsOf(probe.summary);
  const descriptionTerms = termsOf(probe.description ?? '');
  const surface = new Map([...descriptionTerms, ...summaryTerms]);
  const weight = new Map<string, number>();
  for (const term of descriptionTerms.keys()) weight.set(term, DESCRIPTION_TERM_WEIGHT);
  for (const term of summaryTerms.keys()) weight.set(term, SUMMARY_TERM_WEIGHT);
  if (weight.size === 0) return [];

  const results: SearchResult[] = index.search.search([...weight.keys()].join(' '), {
    boost: FIELD_BOOST,
    boostTerm: (term) => weight.get(term) ?? DESCRIPTION_TERM_WEIGHT,
    fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
    prefix: (term) => term.length >= 4,
    combineWith: 'OR',
    // Query terms are stems already; processing them again would stem twice.
    processTerm: (term) => term,
  });

  const probeConfigs = new Map(probe.configurations.map((c) => [c.id, c.name ?? `#${c.id}`]));
  const ranked: Ranked[] = [];
  for (const result of results) {
    const candidate = index.candidates.get(Number(result.id));
    if (candidate === undefined || candidate.id === probe.ticketId) continue;
    const shared = (configurationsOf(candidate.id) ?? []).flatMap((id) => probeConfigs.get(id) ?? []);
    const cls = classification(probe, candidate);
    const boost = 1 + (shared.length > 0 ? BOOST.configuration : 0) + cls.boost;
    // result.queryTerms are the probe's terms that matched (fuzzy and prefix included).
    const matched = [...new Set(result.queryTerms.map((t) => surface.get(t) ?? t))];
    ranked.push({ candidate, score: result.score * boost, matched, sharedConfigurations: [...new Set(shared)], sameClassification: cls.label });
  }
  ranked.sort((a, b) => b.score - a.score || b.candidate.id - a.candidate.id);
  const best = ranked[0]?.score ?? 0;
  return ranked.filter((r) => r.score >= best * RELATIVE_FLOOR);
}

/** "same configuration CD-RECEPTION-PRN", "same item: Printer", "matches: duplex, jam". */
export function explain(hit: Ranked): string[] {
  const why: string[] = [];
  if (hit.sharedConfigurations.length > 0) {
    why.push(`same configuration ${hit.sharedConfigurations.slice(0, 2).join(', ')}`);
  }
  if (hit.sameClassification !== undefined) why.push(hit.sameClassification);
  if (hit.matched.length > 0) why.push(`matches: ${hit.matched.slice(0, 4).join(', ')}`);
  return why;
}
