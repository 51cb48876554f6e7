import { describe, expect, it } from 'vitest';
import { buildIndex, explain, rank, type Candidate, type Probe } from '../../../server/solved-before/rank.ts';
import { processTerm } from '../../../server/solved-before/text.ts';
import { companyIndex, precisionAt, probeOf, rankFor, solvedBeforeLabels } from './labelled-set.ts';

/**
 * The ranking on the simulator's labelled set and on small hand-made fixtures: a few cases
 * pinned with positive and negative controls, so a tuning change that breaks what a
 * technician would expect fails here before the bench.
 */

const candidate = (id: number, summary: string, extra: Partial<Candidate> = {}): Candidate => ({
  id,
  summary,
  description: undefined,
  board: { id: 1, name: 'Help Desk' },
  type: undefined,
  subType: undefined,
  item: undefined,
  closedAt: undefined,
  resolvedBy: undefined,
  ...extra,
});

const probe = (summary: string, extra: Partial<Probe> = {}): Probe => ({
  ticketId: 1,
  summary,
  description: undefined,
  type: undefined,
  subType: undefined,
  item: undefined,
  configurations: [],
  ...extra,
});

describe('ranking on the labelled set', () => {
  it('puts related tickets first for the demo printer ticket, with the shared printer named', () => {
    const ranked = rankFor(1001, 19298);
    const related = solvedBeforeLabels.find((l) => l.openTicketId === 1001)!.related;
    expect(ranked.slice(0, 3).every((r) => related.includes(r.candidate.id))).toBe(true);
    expect(explain(ranked[0]!).join('; ')).toContain('same configuration CD-RECEPTION-PRN');
    // Negative control: the toner order shares "printer" and "reception" but is not the fault.
    const toner = ranked.findIndex((r) => r.candidate.id === 3005);
    expect(toner === -1 || toner >= 4).toBe(true);
  });

  it('never offers the ticket itself, another company’s tickets or tickets outside the window', () => {
    const ids = rankFor(1004, 19301).map((r) => r.candidate.id);
    expect(ids).not.toContain(1004);
    expect(ids.every((id) => companyIndex(19301).candidates.has(id))).toBe(true);
    expect(ids.some((id) => id >= 3001 && id < 3100)).toBe(false); // Contoso's
    expect(rankFor(1015, 19298).map((r) => r.candidate.id)).not.toContain(3015); // 400 days old
  });

  it('finds the VPN history through the shared firewall even where the words differ', () => {
    const top = rankFor(1004, 19301).slice(0, 3).map((r) => r.candidate.id);
    expect(top).toContain(3102); // "JAX tunnel flapping": no "VPN" in it
    // Positive control for the boost: without configurations the same ticket ranks lower.
    const plain = rank(companyIndex(19301), { ...probeOf(1004), configurations: [] });
    expect(plain.findIndex((r) => r.candidate.id === 3102)).toBeGreaterThan(top.indexOf(3102));
  });

  it('reaches precision@3 of at least 0.8 over the whole set (the bench target)', () => {
    expect(precisionAt(3).precision).toBeGreaterThanOrEqual(0.8);
  });
});

describe('ranking on hand-made fixtures', () => {
  const index = buildIndex([
    candidate(10, 'Duplex printing jams on the second floor printer'),
    candidate(11, 'Printer paper jam in tray 2'),
    candidate(12, 'Order paper for the copier'),
    candidate(13, 'VPN disconnects every hour'),
    candidate(14, 'Outlook password prompts', { item: 7 }),
  ]);

  it('matches word forms through the stemmer and short typos through fuzzy matching', () => {
    expect(processTerm('jammed')).toBe(processTerm('jams'));
    const ranked = rank(index, probe('Duplex jobs jammed in the printre'));
    expect(ranked[0]?.candidate.id).toBe(10);
    expect(explain(ranked[0]!)).toEqual(['matches: duplex, jammed, printre']);
    expect(ranked.map((r) => r.candidate.id)).not.toContain(13);
  });

  it('drops stop words and helpdesk filler: a probe made only of them finds nothing', () => {
    expect(rank(index, probe('Please help, the user cannot work since this morning'))).toEqual([]);
    // Positive control: one real word is enough.
    expect(rank(index, probe('Please help, VPN')).map((r) => r.candidate.id)).toEqual([13]);
  });

  it('raises the same item and says so', () => {
    const ranked = rank(index, probe('Outlook password', { item: { id: 7, name: 'Email client' } }));
    expect(explain(ranked[0]!)).toContain('same item: Email client');
  });

  it('never returns the probe’s own ticket', () => {
    const own = buildIndex([candidate(1, 'VPN down'), candidate(2, 'VPN down again')]);
    expect(rank(own, probe('VPN down')).map((r) => r.candidate.id)).toEqual([2]);
  });
});
