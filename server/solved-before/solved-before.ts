import type { AnswerMeta, Ticket } from '../../shared/ticket-context.ts';
import type { SolvedBefore, SolvedResolution, SolvedTicket } from '../../shared/solved-before.ts';
import type { ConnectWise, TenantApi, TenantConnection } from '../connectwise/connectwise.ts';
import { tenantKey } from '../connectwise/tenant-connection.ts';
import { credentialsKey } from '../connectwise/member-cache-key.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { LoadOptions, TicketContextLoader } from '../ticket-context/loader.ts';
import { normaliseTicketNote } from '../ticket-context/normalise-notes.ts';
import { createPartCache, type PartResult } from '../ticket-context/part-cache.ts';
import { readConfigurationRefs, readNotes } from '../ticket-context/reads.ts';
import { section, sectionErrorOf } from '../ticket-context/section.ts';
import { toCandidate } from './candidates.ts';
import { buildIndex, explain, rank, type Probe, type Ranked, type SolvedIndex } from './rank.ts';
import { MAX_CANDIDATES, readClosedTickets, readDescriptionNote } from './reads.ts';
import { pickResolution, trimText } from './resolution.ts';
import { assertGrants, visibleHits, type SolvedBeforeRights } from './rights.ts';

export type SolvedBeforeOptions = {
  connectwise: ConnectWise;
  /** The ticket on screen comes from the loader (its cached part, or the member's read in flight). */
  loader: Pick<TicketContextLoader, 'summary'>;
  /** How long a company's index (and the reads around it) is reused (default 10 min). */
  ttlMs?: number;
  /** Cap on what the cache holds, in characters of the rows it was built from (default 32 Mi). */
  maxBytes?: number;
  /** Cap on cached entries across tenants (indexes, configurations, resolutions; default 5000). */
  maxEntries?: number;
  /** Clock for the 12-month window (tests). */
  now?: () => number;
  /** Hits shown (default 5). */
  limit?: number;
  /** Top text hits whose configurations are read to find shared ones (default 8). */
  configurationWindow?: number;
};

const DAY = 86_400_000;
/** The window of the company's history searched (issue 15: the last 12 months). */
const WINDOW_MS = 365 * DAY;
/** The probe's description is cut here: its first paragraphs say what the ticket is about. */
const PROBE_DESCRIPTION_CHARS = 1500;

type ProbeParts = { configurations: { id: number; name: string | undefined }[]; description: string | undefined };

/** The index as the part cache sizes it: JSON of the rows it holds, not of MiniSearch's internals. */
function cacheable(index: SolvedIndex, searched: number) {
  return { index, searched, toJSON: () => ({ rows: [...index.candidates.values()], bytes: index.size }) };
}
type CachedIndex = ReturnType<typeof cacheable>;

const allowedByTenant = (rights: SolvedBeforeRights, boardId: number | null) =>
  rights.tenantBoards.length === 0 || (boardId !== null && rights.tenantBoards.includes(boardId));

/** The same rights, each ticket's answer asked once per search (started early, awaited later). */
function remembered(rights: SolvedBeforeRights): SolvedBeforeRights {
  const answers = new Map<number, Promise<boolean>>();
  return {
    ...rights,
    mayRead: (ticket) => {
      let answer = answers.get(ticket.id);
      if (answer === undefined) {
        answer = Promise.resolve(rights.mayRead(ticket));
        answers.set(ticket.id, answer);
      }
      return answer;
    },
  };
}

/** A read whose ConnectWise failure only means "do without it" (the probe's extras). */
async function optionalRead<T>(work: Promise<T>, fallback: T): Promise<T> {
  const result = await section(work);
  return result.ok ? result.data : fallback;
}

/**
 * "Solved before" (issue 15): the company's closed tickets most like the one on screen, with
 * how each was resolved.
 *
 * Per view, cold: the ticket (shared with the view's own read), ONE candidate query per
 * company (cached 10 min, single-flight, bounded), the probe's configuration references and
 * description note (one call each, cached per ticket), configuration references of the top
 * `configurationWindow` text hits only when the probe has configurations (cached per ticket),
 * the member's rights check of each shown hit (rights.ts) and the resolution notes of the shown
 * hits only, in parallel (cached per ticket). A warm view of the same company costs the probe's
 * uncached reads and the rights checks only.
 */
export function createSolvedBefore(options: SolvedBeforeOptions) {
  const now = options.now ?? Date.now;
  const limit = options.limit ?? 5;
  const configurationWindow = options.configurationWindow ?? 8;
  const cache = createPartCache({
    ttlMs: options.ttlMs ?? 10 * 60_000,
    maxEntries: options.maxEntries ?? 5000,
    maxBytes: options.maxBytes ?? 32 * 1024 * 1024,
  });

  function part<T>(t: TenantConnection, name: string, id: number, read: (api: TenantApi, signal: AbortSignal) => Promise<T>, opts: LoadOptions) {
    return cache.get(`${tenantKey(t)}:${name}:${id}`, (signal) => read(options.connectwise.api(t), signal), opts);
  }

  function companyIndex(t: TenantConnection, companyId: number, opts: LoadOptions): Promise<PartResult<CachedIndex>> {
    return part(
      t,
      'index',
      companyId,
      async (api, signal) => {
        const rows = await readClosedTickets(companyId, now() - WINDOW_MS, MAX_CANDIDATES)(api, signal);
        const candidates = rows.flatMap((r) => toCandidate(r) ?? []);
        return cacheable(buildIndex(candidates), rows.length);
      },
      opts,
    );
  }

  async function probeParts(t: TenantConnection, ticket: Ticket, opts: LoadOptions): Promise<ProbeParts> {
    const result = await part(
      t,
      'probe',
      ticket.id,
      async (api, signal): Promise<ProbeParts> => {
        const [refs, notes] = await Promise.all([
          optionalRead(readConfigurationRefs(ticket.id)(api, signal), []),
          ticket.initialDescription === undefined ? optionalRead(readDescriptionNote(ticket.id)(api, signal), []) : Promise.resolve([]),
        ]);
        const description = ticket.initialDescription ?? notes.find((n) => (n.text ?? '').trim() !== '')?.text ?? undefined;
        return {
          configurations: refs.map((r) => ({ id: r.id, name: r.deviceIdentifier?.trim() || undefined })),
          description: description?.slice(0, PROBE_DESCRIPTION_CHARS),
        };
      },
      opts,
    );
    return result.value;
  }

  /** Configuration ids of candidates, for the top text hits (one call each, cached, in parallel). */
  async function configurationsOf(t: TenantConnection, ids: number[], opts: LoadOptions): Promise<Map<number, number[]>> {
    const known = new Map<number, number[]>();
    await Promise.all(
      ids.map(async (id) => {
        const refs = await optionalRead(
          part(t, 'configurations', id, (api, signal) => readConfigurationRefs(id)(api, signal), opts).then((r) => r.value),
          null,
        );
        if (refs !== null) known.set(id, refs.map((r) => r.id));
      }),
    );
    return known;
  }

  /** A hit's resolution; with `as`, read with the member's credentials and cached for them alone. */
  function resolutionOf(t: TenantConnection, ticketId: number, opts: LoadOptions, as: MemberAuthentication | undefined) {
    const name = as === undefined ? 'resolution' : `resolution-as-${credentialsKey(t, as)}`;
    return section(
      part(
        t,
        name,
        ticketId,
        async (api, signal) => {
          const reader: TenantApi = as === undefined ? api : { ...api, get: (path, schema, o) => api.get(path, schema, { ...o, as }) };
          return pickResolution((await readNotes(ticketId)(reader, signal)).map(normaliseTicketNote));
        },
        opts,
      ).then((r) => r.value as SolvedResolution | null),
    );
  }

  function toHit(hit: Ranked, resolution: SolvedTicket['resolution']): SolvedTicket {
    const c = hit.candidate;
    return {
      id: c.id,
      summary: trimText(c.summary, 200).text,
      ...(c.closedAt !== undefined ? { closedAt: c.closedAt } : {}),
      ...(c.resolvedBy !== undefined ? { resolvedBy: c.resolvedBy } : {}),
      ...(c.board.name !== undefined ? { board: c.board.name } : {}),
      why: explain(hit),
      resolution,
    };
  }

  /**
   * The answer for the ticket on screen. The caller (the route) has the member's own check of
   * this ticket; `rights` filters the hits. A ConnectWise failure while searching is the
   * answer's `hits` error; a refusal of the ticket itself, or a role without tickets and
   * notes, throws.
   */
  async function find(t: TenantConnection, ticketId: number, rights: SolvedBeforeRights, opts: LoadOptions = {}): Promise<SolvedBefore> {
    // A role without tickets and notes is refused before anything is read.
    assertGrants(rights);
    const started = now();
    const summary = await options.loader.summary(t, ticketId, opts);
    const ticket = summary.ticket;
    let oldest = Date.parse(summary.meta.fetchedAt);
    let fromCache = summary.meta.fromCache;
    const meta = (): AnswerMeta => ({ fetchedAt: new Date(Number.isFinite(oldest) ? oldest : started).toISOString(), fromCache });
    const companyId = ticket.company?.id;
    if (companyId === undefined) return { hits: { ok: true, data: [] }, searched: 0, meta: meta() };

    try {
      const [indexed, parts] = await Promise.all([companyIndex(t, companyId, opts), probeParts(t, ticket, opts)]);
      fromCache ||= indexed.fromCache;
      oldest = Math.min(oldest, indexed.fetchedAt);
      const { index, searched } = indexed.value;
      const probe: Probe = {
        ticketId: ticket.id,
        summary: ticket.summary,
        description: parts.description,
        type: ticket.type,
        subType: ticket.subType,
        item: ticket.item,
        configurations: parts.configurations,
      };
      const checks = remembered(rights);
      let ranked = rank(index, probe);
      if (probe.configurations.length > 0 && ranked.length > 0) {
        const window = ranked.slice(0, configurationWindow).map((r) => r.candidate);
        // The member's checks of the window run with the configuration reads: the final top
        // hits almost always come from it, and the card saves a ConnectWise round trip.
        for (const c of window) if (allowedByTenant(rights, c.board.id)) void Promise.resolve(checks.mayRead({ id: c.id, boardId: c.board.id })).catch(() => undefined);
        const known = await configurationsOf(t, window.map((c) => c.id), opts);
        ranked = rank(index, probe, (id) => known.get(id));
      }
      const shown = await visibleHits(
        ranked.map((r) => ({ ...r, id: r.candidate.id, boardId: r.candidate.board.id })),
        checks,
        limit,
      );
      const resolutions = await Promise.all(shown.map((hit) => resolutionOf(t, hit.id, opts, rights.resolutionsAs)));
      return { hits: { ok: true, data: shown.map((hit, i) => toHit(hit, resolutions[i]!)) }, searched, meta: meta() };
    } catch (err) {
      const error = sectionErrorOf(err);
      if (error === undefined) throw err;
      return { hits: { ok: false, error }, searched: 0, meta: meta() };
    }
  }

  return {
    find,
    /** Cached entries (indexes and the reads around them). */
    get size() {
      return cache.size;
    },
  };
}

export type SolvedBeforeService = ReturnType<typeof createSolvedBefore>;
