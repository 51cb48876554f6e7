import { LRUCache } from 'lru-cache';
import type { SectionAccess } from '../../shared/admin-api.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { PodSection } from '../../shared/pod-permissions.ts';
import type { AnswerMeta, SectionError, TicketAgreements, TicketContext, TicketSummary } from '../../shared/ticket-context.ts';
import type { ConnectWise, TenantApi, TenantConnection } from '../connectwise/connectwise.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { MemberRejectedError } from '../connectwise/errors/MemberRejectedError.ts';
import { credentialsKey } from '../connectwise/member-cache-key.ts';
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
import { applyToContext, applyToTicket } from './apply-reference-data.ts';
import { readyTables, type ReferenceData } from './reference-data.ts';
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
import { createMemberRights, isCredentialRefusal, type MemberRights, type SectionAccessLevel } from './member-rights.ts';
import type { CwTicket, CwTicketListItem } from './schemas/ticket.ts';
import type { CwTimeEntryList } from './schemas/time-entries.ts';
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
  /** How long a ticket ConnectWise says does not exist is remembered (default 30 s; issue 10). */
  missingTtlMs?: number;
  /** How long a member's rights (system/mySecurity) are reused (default 5 min, as the verification). */
  rightsTtlMs?: number;
  /** The tenant's priorities and company statuses (issue 12); absent = views without them. */
  referenceData?: ReferenceData;
};

/**
 * Who the answer is for (issue 10): the verified technician, their rights and the tenant's
 * choices. Without a viewer (the warm-ups) parts are read with the API keys and nothing is
 * filtered: such answers only fill caches and never reach a browser.
 */
export type Viewer = {
  credentials: MemberAuthentication;
  /** The verified member's identifier: "My" time entries are theirs. */
  identifier: string;
  rights: MemberRights;
  /** The tenant's sectionAccess: "apiMember" shows every section the API member reads. */
  sectionAccess: SectionAccess;
  /** The tenant's board allowlist; empty means every board. */
  allowedBoardIds: readonly number[];
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
  /** Apply this technician's rights on the way out (every pod API answer has one). */
  viewer?: Viewer;
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

/** How the pod names what a section shows, when the permission table gives no label. */
const sectionNames: Record<PodSection, string> = {
  notes: 'ticket notes',
  time: 'time entries',
  contact: 'contacts',
  configurations: 'configurations',
  agreements: 'agreements',
  otherOpenTickets: 'service tickets',
};

/** The card's "your ConnectWise role does not include …" state: no data, the right named. */
function notInRole(viewer: Viewer, name: PodSection): { ok: false; error: SectionError } {
  const permission = viewer.rights.sections[name].permission;
  const label = permission?.sectionLabel ?? sectionNames[name];
  const where = permission === null ? '' : ` (${permission.module.name} › ${permission.function.name}, Inquire)`;
  return { ok: false, error: { code: 'not_in_role', message: `Your ConnectWise role does not include ${label}${where}.` } };
}

/** How this viewer may see a section; no viewer (warm-ups) reads everything with the keys. */
function accessTo(viewer: Viewer | undefined, name: PodSection): SectionAccessLevel {
  if (viewer === undefined) return 'all';
  if (viewer.sectionAccess === 'apiMember' && name !== 'otherOpenTickets') return 'all';
  return viewer.rights.sections[name].access;
}

/** A TenantApi whose reads carry the member's own credentials. */
function asMemberApi(api: TenantApi, creds: MemberAuthentication): TenantApi {
  return { ...api, get: (path, schema, opts) => api.get(path, schema, { ...opts, as: creds }) };
}

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
  /** Tickets ConnectWise (API keys) answered 404 for, by tenant and ticket: no read for 30 s. */
  const missing = new LRUCache<string, true>({ max: options.maxEntries ?? 10_000, ttl: options.missingTtlMs ?? 30_000 });
  const rights = createMemberRights({
    connectwise,
    ...(options.rightsTtlMs !== undefined ? { ttlMs: options.rightsTtlMs } : {}),
    ...(options.maxEntries !== undefined ? { maxEntries: options.maxEntries } : {}),
  });

  /**
   * ConnectWise refused this member's credentials (401): drop the verification verdict, the
   * rights and every "may see" answer held for them, so nothing cached outlives the refusal.
   */
  function forgetMember(t: TenantConnection, memberid: string): void {
    access.forgetMember(t, memberid);
    rights.forget(t, memberid);
    connectwise.forgetMember(t, memberid);
  }

  /** Runs a read made as the member; a refusal of their credentials forgets them first. */
  async function asMember<T>(t: TenantConnection, memberid: string, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      if (isCredentialRefusal(err)) forgetMember(t, memberid);
      throw err;
    }
  }

  /** Remembered as missing (and not asked to look again): throws as ConnectWise's 404 would. */
  function assertNotMissing(t: TenantConnection, ticketId: number, opts: { fresh?: boolean | undefined }): void {
    if (opts.fresh !== true && missing.has(ticketKey(t, ticketId))) {
      throw new TicketNotFoundError(ticketId, 'ConnectWise found no such ticket moments ago.');
    }
  }

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

  /**
   * A part read with the viewer's own credentials, cached under their credentials' digest:
   * only the same member's views share it.
   */
  function memberPart<T>(
    t: TenantConnection,
    viewer: Viewer,
    name: string,
    id: string | number,
    read: (api: TenantApi, signal: AbortSignal) => Promise<T>,
    opts: LoadOptions,
  ): Promise<PartResult<T>> {
    const creds = viewer.credentials;
    const key = `${t.companyId.toLowerCase()}:${name}:${id}:as:${credentialsKey(t, creds)}`;
    return cache.get(key, (signal) => asMember(t, creds.memberid, read(asMemberApi(connectwise.api(t), creds), signal)), opts);
  }

  /**
   * A gated section's part: with the API keys where the viewer's role grants it at All (or
   * "My" for time, filtered later), as the member where only ConnectWise can decide; null
   * when the role does not include it (nothing is read).
   */
  function sectionPart<T>(
    t: TenantConnection,
    viewer: Viewer | undefined,
    gate: PodSection,
    name: string,
    id: string | number,
    read: (api: TenantApi, signal: AbortSignal) => Promise<T>,
    opts: LoadOptions,
  ): Promise<PartResult<T>> | null {
    const level = accessTo(viewer, gate);
    if (level === 'none') return null;
    if (viewer === undefined || level === 'all' || (level === 'mine' && gate === 'time')) return part(t, name, id, read, opts);
    return memberPart(t, viewer, name, id, read, opts);
  }

  async function ticketPart(t: TenantConnection, ticketId: number, opts: LoadOptions) {
    assertNotMissing(t, ticketId, opts);
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
      const result = await part(t, 'ticket', conditionId(ticketId), read, opts);
      missing.delete(ticketKey(t, ticketId));
      return result;
    } catch (err) {
      const mapped = ticketError(err, ticketId, 'api-member');
      // Only the API keys' 404 is remembered: a member's may mean "hidden from you".
      if (mapped instanceof TicketNotFoundError && !(err instanceof TicketNotFoundError)) missing.set(ticketKey(t, ticketId), true);
      throw mapped;
    }
  }

  /**
   * The company's other open tickets, only those the viewer may see (issue 10): on a board
   * ConnectWise does not hide from them and the tenant allows. With the member's boards known
   * and Service Tickets at All, the shared list (API keys) is filtered; otherwise (boards not
   * told, level "My", rights unknown) the list is read as the member, so ConnectWise filters.
   */
  function otherOpenTickets(
    t: TenantConnection,
    viewer: Viewer | undefined,
    companyId: number,
    ticketId: number,
    o: LoadOptions,
    track: ReturnType<typeof tracker>,
  ): Promise<Section<TicketContext['otherOpenTickets'] extends Section<infer D> ? D : never>> {
    if (viewer === undefined) {
      return section(part(t, 'openTickets', companyId, readOpenTickets(companyId), o).then((r) => normaliseOtherOpenTickets(track.take(r), ticketId)));
    }
    const level = viewer.rights.sections.otherOpenTickets.access;
    if (level === 'none') return Promise.resolve(notInRole(viewer, 'otherOpenTickets'));
    const excluded = viewer.rights.excludedBoardIds;
    const shared = level === 'all' && excluded !== null;
    const list = shared
      ? part(t, 'openTickets', companyId, readOpenTickets(companyId), o)
      : memberPart(t, viewer, 'openTickets', companyId, readOpenTickets(companyId), o);
    const visible = (row: CwTicketListItem) => {
      const board = row.board?.id;
      if (typeof board !== 'number') return false;
      if (shared && excluded.includes(board)) return false;
      return viewer.allowedBoardIds.length === 0 || viewer.allowedBoardIds.includes(board);
    };
    return section(list.then((r) => normaliseOtherOpenTickets(track.take(r).filter(visible), ticketId)));
  }

  async function context(t: TenantConnection, ticketId: number, opts: LoadOptions = {}): Promise<TicketContext> {
    conditionId(ticketId);
    opts.signal?.throwIfAborted();
    assertNotMissing(t, ticketId, opts);
    // Aborted by the caller, or by us when the ticket itself fails (nobody needs the rest).
    const scope = scopeOf(opts.signal);
    const o: LoadOptions = { fresh: opts.fresh === true, signal: scope.signal };
    const track = tracker();
    const viewer = opts.viewer;
    /** A gated section: its part's answer, or "your role does not include …" with nothing read. */
    const gated = <P, T>(
      gate: PodSection,
      pending: Promise<PartResult<P>> | null,
      then: (value: P) => T | Promise<T>,
    ): Promise<Section<T>> =>
      pending === null ? Promise.resolve(notInRole(viewer!, gate)) : section(pending.then((r) => then(track.take(r))));
    // Read alongside round 1 (cached per tenant for hours); never rejects.
    const tablesP = options.referenceData?.load(t);

    // Round 1: everything that needs only the ticket id.
    const ticketP = ticketPart(t, ticketId, o).then((r) => track.take(r));
    const notesP = gated('notes', sectionPart(t, viewer, 'notes', 'notes', ticketId, readNotes(ticketId), o), (notes) =>
      normaliseNotes(notes.map(normaliseTicketNote)),
    );
    const timeP = gated('time', sectionPart(t, viewer, 'time', 'time', ticketId, readTimeEntries(ticketId), o), (entries) =>
      normaliseTime(accessTo(viewer, 'time') === 'mine' ? ownEntries(entries, viewer!.identifier) : entries),
    );
    const configurationsP = gated(
      'configurations',
      sectionPart(t, viewer, 'configurations', 'configurationRefs', ticketId, readConfigurationRefs(ticketId), o),
      async (refs) => {
        const ids = [...new Set(refs.flatMap((ref) => recordId(ref.id) ?? []))]
          .slice(0, CONFIGURATION_DETAILS_LIMIT)
          .sort((a, b) => a - b);
        if (ids.length === 0) return [];
        const details = sectionPart(t, viewer, 'configurations', 'configurations', ids.join(','), readConfigurations(ids), o);
        return normaliseConfigurations(refs, details === null ? [] : track.take(await details));
      },
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
      accessTo(viewer, 'contact') === 'none'
        ? notInRole(viewer!, 'contact')
        : contactId === undefined
          ? ok(null)
          : gated('contact', sectionPart(t, viewer, 'contact', 'contact', contactId, readContact(contactId), o), normaliseContact);
    const otherOpenTicketsP =
      companyId === undefined ? ok([]) : otherOpenTickets(t, viewer, companyId, ticketId, o, track);

    try {
      const [notes, time, configurations, company, contact, otherOpenTickets] = await Promise.all([
        notesP,
        timeP,
        configurationsP,
        companyP,
        contactP,
        otherOpenTicketsP,
      ]);
      const answer: TicketContext = {
        ticket: normaliseTicket(cwTicket),
        company,
        contact,
        configurations,
        notes,
        time,
        otherOpenTickets,
        meta: track.meta(),
      };
      return tablesP === undefined ? answer : applyToContext(answer, await readyTables(tablesP));
    } finally {
      // Ends this call's waits on any part still loading (an abort, or a bug in one section).
      scope.abort(new Error('ticket context finished'));
    }
  }

  async function summary(t: TenantConnection, ticketId: number, opts: LoadOptions = {}): Promise<TicketSummary> {
    const track = tracker();
    const tablesP = options.referenceData?.load(t);
    const ticket = normaliseTicket(track.take(await ticketPart(t, ticketId, opts)));
    return { ticket: tablesP === undefined ? ticket : applyToTicket(ticket, await readyTables(tablesP)), meta: track.meta() };
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
    const viewer = opts.viewer;
    const pending = companyId === undefined ? null : sectionPart(t, viewer, 'agreements', 'agreements', companyId, readAgreements(companyId), opts);
    const list =
      accessTo(viewer, 'agreements') === 'none'
        ? notInRole(viewer!, 'agreements')
        : pending === null
          ? ok([])
          : await section(pending.then((r) => normaliseAgreements(track.take(r), new Date())));
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
    assertNotMissing(t, ticketId, opts);
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
          // Whatever was allowed before no longer is; a refusal of the credentials drops the member.
          access.deny(key);
          if (isCredentialRefusal(err)) forgetMember(t, creds.memberid);
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

  /**
   * The viewer for a verified session: the member's rights, cached for the session (one
   * system/mySecurity call per member session). A refusal of their credentials forgets them.
   */
  async function viewerOf(
    t: TenantConnection,
    session: { credentials: MemberAuthentication; identifier: string },
    tenant: { sectionAccess?: SectionAccess | undefined; boardIds: readonly number[] },
  ): Promise<Viewer> {
    const known = await asMember(t, session.credentials.memberid, rights.get(t, session.credentials));
    return {
      credentials: session.credentials,
      identifier: session.identifier,
      rights: known,
      sectionAccess: tenant.sectionAccess ?? 'technician',
      allowedBoardIds: tenant.boardIds,
    };
  }

  /** True when a view of this ticket would start no ConnectWise read of it (cached, in flight, or missing). */
  function ticketKnown(t: TenantConnection, ticketId: number): boolean {
    return missing.has(ticketKey(t, ticketId)) || cache.has(`${t.companyId.toLowerCase()}:ticket:${conditionId(ticketId)}`);
  }

  return { context, summary, agreements, memberAccess, viewerOf, ticketKnown, forgetMember };
}

/** A member's own time entries (level "My"): their identifier, compared without case. */
function ownEntries(entries: CwTimeEntryList, identifier: string): CwTimeEntryList {
  const me = identifier.toLowerCase();
  return entries.filter((e) => e.member?.identifier?.toLowerCase() === me);
}

export type TicketContextLoader = ReturnType<typeof createTicketContextLoader>;
