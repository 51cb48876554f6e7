import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { AnswerMeta, TicketAgreements, TicketContext, TicketSummary } from '../../shared/ticket-context.ts';
import type { ConnectWise, TenantApi, TenantConnection } from '../connectwise/connectwise.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { MemberRejectedError } from '../connectwise/errors/MemberRejectedError.ts';
import { conditionId } from './conditions.ts';
import { TicketForbiddenError } from './errors/TicketForbiddenError.ts';
import { TicketNotFoundError } from './errors/TicketNotFoundError.ts';
import { normaliseAgreements } from './normalise-agreements.ts';
import { normaliseCompany } from './normalise-company.ts';
import { normaliseConfigurations } from './normalise-configurations.ts';
import { normaliseContact } from './normalise-contact.ts';
import { normaliseNotes, normaliseTicketNote } from './normalise-notes.ts';
import { normaliseOtherOpenTickets } from './normalise-open-tickets.ts';
import { normaliseTicket } from './normalise-ticket.ts';
import { normaliseTime } from './normalise-time.ts';
import { createPartCache, type PartResult } from './part-cache.ts';
import {
  CONFIGURATION_DETAILS_LIMIT,
  readAgreements,
  readCompany,
  readConfigurationRefs,
  readConfigurations,
  readContact,
  readNotes,
  readOpenTickets,
  readTicket,
  readTicketAsMember,
  readTimeEntries,
} from './reads.ts';
import { createMemberAccessCache, type MemberAccess } from './member-access-cache.ts';
import type { CwTicket } from './schemas/ticket.ts';
import { section, type Section } from './section.ts';

export type TicketContextLoaderOptions = {
  connectwise: ConnectWise;
  /** How long a part read from ConnectWise is reused (default 30 s). */
  cacheTtlMs?: number;
  /** Cap on cached parts across all tenants (default 5000). */
  maxEntries?: number;
  /** How long a member's positive access answer is reused (default 30 s; refusals never are). */
  accessTtlMs?: number;
  /** Told of each cache lookup (metrics). */
  onCacheLookup?: (result: 'hit' | 'inflight' | 'miss') => void;
};

export type AccessOptions = {
  /** Ask ConnectWise again even if this member was allowed a moment ago (the refresh control). */
  fresh?: boolean;
  /** Stops this caller waiting; a read shared with another view goes on. */
  signal?: AbortSignal;
};

export type LoadOptions = {
  /** Bypass every cache: re-read all parts and keep the new answers. */
  fresh?: boolean;
  /** Stops this caller waiting (the technician moved on); shared fetches go on for others. */
  signal?: AbortSignal;
};

const isRefusal = (err: unknown) =>
  (err instanceof ConnectWiseHttpError && [401, 403, 404].includes(err.status)) || err instanceof MemberRejectedError;

/** Maps ConnectWise's refusal of the ticket itself to the pod's typed errors. */
function ticketError(err: unknown, ticketId: number, as: 'member' | 'api-member'): unknown {
  if (err instanceof ConnectWiseHttpError) {
    if (err.status === 404) return new TicketNotFoundError(ticketId, err.cwMessage, { cause: err });
    if (err.status === 403) return new TicketForbiddenError(ticketId, err.cwMessage, { as, cause: err });
  }
  return err;
}

/** Resolves with `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** An AbortController that follows the caller's signal and can also be aborted on its own. */
function scopeOf(signal: AbortSignal | undefined): AbortController {
  const scope = new AbortController();
  if (signal?.aborted) scope.abort(signal.reason);
  else signal?.addEventListener('abort', () => scope.abort(signal.reason), { once: true, signal: scope.signal });
  return scope;
}

const ok = <T>(data: T): Section<T> => ({ ok: true, data });

/** A record id ConnectWise could have issued; anything else reads as "no such reference". */
function recordId(id: number | null | undefined): number | undefined {
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 1 ? id : undefined;
}

/**
 * Loads and normalises a ticket's context from ConnectWise with the tenant's API keys.
 *
 * Two dependent rounds, each in parallel: first what only needs the ticket id (ticket, notes,
 * configuration references, time entries); then what needs ids from those answers (company,
 * contact and open tickets from the ticket; configuration details from the references). Each
 * second-round read starts as soon as the answer it depends on arrives, not when the whole
 * first round is done: the view takes about two ConnectWise latencies.
 *
 * The company's agreements are not part of the view (the ticket names its own agreement):
 * `agreements` reads them when the technician asks.
 *
 * Every part is cached per tenant for `cacheTtlMs` under `companyId:part:id`, with
 * single-flight loading: concurrent views of one ticket share one set of ConnectWise calls.
 *
 * Authorisation (memberAccess) reads the whole ticket as the member. A "yes" is kept for
 * `accessTtlMs` under a digest of tenant, credentials and ticket (member-access-cache.ts);
 * it never enters the parts cache's keys or context. While that read is in flight, a ticket
 * part loaded for the same tenant and ticket uses its answer instead of a second read with
 * the API keys (the ticket is the same record whoever reads it, and every view still passes
 * its own member's check); if the member is refused, the part falls back to the API read.
 */
export function createTicketContextLoader(options: TicketContextLoaderOptions) {
  const { connectwise } = options;
  const access = createMemberAccessCache({ ttlMs: options.accessTtlMs ?? 30_000, maxEntries: options.maxEntries ?? 10_000 });
  /** Member reads of the ticket in flight, by access key: concurrent checks share one read. */
  const accessFlights = new Map<string, Promise<MemberAccess>>();
  /** The latest member read in flight per tenant and ticket, offered to the ticket part. */
  const memberTicketReads = new Map<string, Promise<CwTicket>>();
  const ticketKey = (t: TenantConnection, ticketId: number) => `${t.companyId.toLowerCase()}:${ticketId}`;
  const cache = createPartCache({
    ttlMs: options.cacheTtlMs ?? 30_000,
    maxEntries: options.maxEntries ?? 5000,
    ...(options.onCacheLookup !== undefined ? { onLookup: options.onCacheLookup } : {}),
  });

  /** Collects whether any part came from the cache, and the oldest part's age. */
  function tracker() {
    const meta = { fromCache: false, oldest: Number.POSITIVE_INFINITY };
    return {
      take<T>(result: PartResult<T>): T {
        if (result.fromCache) meta.fromCache = true;
        meta.oldest = Math.min(meta.oldest, result.fetchedAt);
        return result.value;
      },
      meta(): AnswerMeta {
        const at = Number.isFinite(meta.oldest) ? meta.oldest : Date.now();
        return { fetchedAt: new Date(at).toISOString(), fromCache: meta.fromCache };
      },
    };
  }

  function part<T>(
    t: TenantConnection,
    name: string,
    id: string | number,
    read: (api: TenantApi, signal: AbortSignal) => Promise<T>,
    opts: LoadOptions,
  ): Promise<PartResult<T>> {
    const key = `${t.companyId.toLowerCase()}:${name}:${id}`;
    return cache.get(key, (signal) => read(connectwise.api(t), signal), opts);
  }

  async function ticketPart(t: TenantConnection, ticketId: number, opts: LoadOptions) {
    try {
      const viaApi = readTicket(ticketId);
      const read = (api: TenantApi, signal: AbortSignal): Promise<CwTicket> => {
        const asMember = memberTicketReads.get(ticketKey(t, ticketId));
        return asMember
          ? asMember.catch((err: unknown) => {
              if (isRefusal(err)) return viaApi(api, signal);
              throw err;
            })
          : viaApi(api, signal);
      };
      return await part(t, 'ticket', conditionId(ticketId), read, opts);
    } catch (err) {
      throw ticketError(err, ticketId, 'api-member');
    }
  }

  async function context(t: TenantConnection, ticketId: number, opts: LoadOptions = {}): Promise<TicketContext> {
    conditionId(ticketId);
    opts.signal?.throwIfAborted();
    // Aborted by the caller, or by us when the ticket itself fails (nobody needs the rest).
    const scope = scopeOf(opts.signal);
    const o: LoadOptions = { fresh: opts.fresh === true, signal: scope.signal };
    const track = tracker();

    // Round 1: everything that needs only the ticket id.
    const ticketP = ticketPart(t, ticketId, o).then((r) => track.take(r));
    const notesP = section(
      part(t, 'notes', ticketId, readNotes(ticketId), o).then((r) => normaliseNotes(track.take(r).map(normaliseTicketNote))),
    );
    const timeP = section(part(t, 'time', ticketId, readTimeEntries(ticketId), o).then((r) => normaliseTime(track.take(r))));
    const configurationsP = section(
      part(t, 'configurationRefs', ticketId, readConfigurationRefs(ticketId), o).then(async (r) => {
        const refs = track.take(r);
        const ids = [...new Set(refs.flatMap((ref) => recordId(ref.id) ?? []))]
          .slice(0, CONFIGURATION_DETAILS_LIMIT)
          .sort((a, b) => a - b);
        if (ids.length === 0) return [];
        const details = track.take(await part(t, 'configurations', ids.join(','), readConfigurations(ids), o));
        return normaliseConfigurations(refs, details);
      }),
    );

    let cwTicket;
    try {
      cwTicket = await ticketP;
    } catch (err) {
      scope.abort(err);
      await Promise.allSettled([notesP, timeP, configurationsP]);
      throw err;
    }

    // Round 2: what the ticket's answer names.
    const companyId = recordId(cwTicket.company?.id);
    const contactId = recordId(cwTicket.contact?.id);
    const companyP =
      companyId === undefined
        ? ok(null)
        : section(part(t, 'company', companyId, readCompany(companyId), o).then((r) => normaliseCompany(track.take(r))));
    const contactP =
      contactId === undefined
        ? ok(null)
        : section(part(t, 'contact', contactId, readContact(contactId), o).then((r) => normaliseContact(track.take(r))));
    const otherOpenTicketsP =
      companyId === undefined
        ? ok([])
        : section(
            part(t, 'openTickets', companyId, readOpenTickets(companyId), o).then((r) =>
              normaliseOtherOpenTickets(track.take(r), ticketId),
            ),
          );

    try {
      const [notes, time, configurations, company, contact, otherOpenTickets] = await Promise.all([
        notesP,
        timeP,
        configurationsP,
        companyP,
        contactP,
        otherOpenTicketsP,
      ]);
      return {
        ticket: normaliseTicket(cwTicket),
        company,
        contact,
        configurations,
        notes,
        time,
        otherOpenTickets,
        meta: track.meta(),
      };
    } finally {
      // Ends this call's waits on any part still loading (an abort, or a bug in one section).
      scope.abort(new Error('ticket context finished'));
    }
  }

  async function summary(t: TenantConnection, ticketId: number, opts: LoadOptions = {}): Promise<TicketSummary> {
    const track = tracker();
    const ticket = track.take(await ticketPart(t, ticketId, opts));
    return { ticket: normaliseTicket(ticket), meta: track.meta() };
  }

  /**
   * The active agreements of the ticket's company, read when the technician asks for them. The
   * company comes from the ticket part (cached, or the member's read in flight), and the list
   * is cached per company: every ticket of the company shares one read within the TTL. A
   * ConnectWise refusal of the list is the section's error; a refusal of the ticket throws.
   */
  async function agreements(t: TenantConnection, ticketId: number, opts: LoadOptions = {}): Promise<TicketAgreements> {
    const track = tracker();
    const ticket = track.take(await ticketPart(t, ticketId, opts));
    const companyId = recordId(ticket.company?.id);
    const list =
      companyId === undefined
        ? ok([])
        : await section(
            part(t, 'agreements', companyId, readAgreements(companyId), opts).then((r) =>
              normaliseAgreements(track.take(r), new Date()),
            ),
          );
    return { agreements: list, meta: track.meta() };
  }

  /**
   * Can this member read this ticket, and on which board is it? Read as the member, so
   * ConnectWise applies the member's own security role. Positive answers are reused for
   * `accessTtlMs` unless `fresh`; concurrent checks by the same member share one read.
   * Registers its read synchronously, before the first await, so a `context`, `summary` or
   * `agreements` started right after it (as the pod API routes do) can use it as the ticket read.
   */
  async function memberAccess(
    t: TenantConnection,
    creds: MemberAuthentication,
    ticketId: number,
    opts: AccessOptions = {},
  ): Promise<MemberAccess> {
    conditionId(ticketId);
    opts.signal?.throwIfAborted();
    const key = access.keyOf(t, creds, ticketId);
    if (opts.fresh !== true) {
      const known = access.get(key);
      if (known !== undefined) return { ...known };
    }
    let flight = opts.fresh === true ? undefined : accessFlights.get(key);
    if (flight === undefined) {
      const read = readTicketAsMember(connectwise.api(t), ticketId, creds);
      const seedKey = ticketKey(t, ticketId);
      memberTicketReads.set(seedKey, read);
      const started: Promise<MemberAccess> = read.then(
        (ticket) => {
          const answer = { boardId: ticket.board?.id ?? null };
          access.allow(key, answer);
          return answer;
        },
        (err: unknown) => {
          throw ticketError(err, ticketId, 'member');
        },
      );
      const settle = () => {
        if (accessFlights.get(key) === started) accessFlights.delete(key);
        if (memberTicketReads.get(seedKey) === read) memberTicketReads.delete(seedKey);
      };
      started.then(settle, settle);
      accessFlights.set(key, started);
      flight = started;
    }
    return { ...(await untilAborted(flight, opts.signal)) };
  }

  return { context, summary, agreements, memberAccess };
}

export type TicketContextLoader = ReturnType<typeof createTicketContextLoader>;
