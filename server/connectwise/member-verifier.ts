import { LRUCache } from 'lru-cache';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { PodMember } from '../../shared/pod-api.ts';
import { ON_PREMISE_CODEBASE, type ApiBases, type Discovery } from './api-base.ts';
import { joinApiPath } from './api-path.ts';
import { BlockedAddressError } from './errors/BlockedAddressError.ts';
import { ConnectWiseHttpError } from './errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from './errors/ConnectWiseUnreachableError.ts';
import { ConnectWiseUnusableAnswerError } from './errors/ConnectWiseUnusableAnswerError.ts';
import { MemberAnswerUnusableError, type UnusableMemberAnswer } from './errors/MemberAnswerUnusableError.ts';
import { MemberRejectedError, type MemberRejectedReason } from './errors/MemberRejectedError.ts';
import { credentialShape, memberAuthHeaders, memberForms, type MemberForm } from './member-credentials.ts';
import { MyMemberInfo } from './schemas/my-member-info.ts';
import { credentialsKey, forgetMemberKeys, memberKey } from './member-cache-key.ts';
import { restHeaders, siteKey, type TenantConnection } from './tenant-connection.ts';
import { breakerKeyOf, type ConnectWiseLogger, type Transport } from './transport.ts';

/**
 * Where a member's credentials are presented, in the order tried (docs/connectwise.md §3.3, §7 #8):
 * - `ui`: the UI host with the codebase companyinfo reports (what working pods use);
 * - `ui-release`: the UI host with `v4_6_release/`, the path public pods hard-code;
 * - `api`: the `api-` host with the discovered codebase (ConnectWise's cloud guidance).
 * On-premise, and when companyinfo reports `v4_6_release/`, several are one URL: asked once.
 */
export const memberHosts = ['ui', 'ui-release', 'api'] as const;
export type MemberHost = (typeof memberHosts)[number];
/** A host and credential form ConnectWise accepted for a tenant. */
export type MemberRoute = { host: MemberHost; form: MemberForm };

/** The REST base a member route calls. */
export function memberBase(t: TenantConnection, bases: ApiBases, host: MemberHost): string {
  switch (host) {
    case 'ui':
      return bases.ui;
    case 'ui-release':
      return bases.codebase === ON_PREMISE_CODEBASE ? bases.ui : `${t.site.uiOrigin}/${ON_PREMISE_CODEBASE}apis/3.0`;
    case 'api':
      return bases.api;
  }
}

/** A proven member, with what the verification answer also told about their boards. */
export type VerifiedMember = {
  member: PodMember;
  /** From system/myMembers/info; null when ConnectWise did not say (issue 10). */
  excludedServiceBoardIds: number[] | null;
};

type Verdict = ({ ok: true } & VerifiedMember) | { ok: false; reason: MemberRejectedReason };

export type MemberVerifierOptions = {
  transport: Transport;
  discovery: Discovery;
  logger?: ConnectWiseLogger | undefined;
  successTtlMs?: number;
  failureTtlMs?: number;
  maxEntries?: number;
  /** One budget for all attempts of one verification (fails closed after it). */
  deadlineMs: number;
};

export type MemberVerifier = {
  verify(t: TenantConnection, creds: MemberAuthentication): Promise<PodMember>;
  /** As verify, with the boards the answer named (same cached verdict, no extra call). */
  verified(t: TenantConnection, creds: MemberAuthentication): Promise<VerifiedMember>;
  /** Drops every verdict held for this member (any credentials): ConnectWise refused them. */
  forget(t: TenantConnection, memberid: string): void;
  /** The route to use for calls as this member: the learned one, learning it first if needed. */
  route(t: TenantConnection, creds: MemberAuthentication): Promise<MemberRoute>;
  learnedRoute(t: TenantConnection): MemberRoute | undefined;
};

const allRoutes: MemberRoute[] = memberHosts.flatMap((host) => memberForms.map((form) => ({ host, form })));
const sameRoute = (a: MemberRoute, b: MemberRoute) => a.host === b.host && a.form === b.form;

function memberName(info: MyMemberInfo): string {
  const full = info.fullName?.trim();
  if (full) return full;
  const joined = [info.firstName, info.lastName].filter((p) => p && p.trim()).join(' ').trim();
  return joined || info.identifier;
}

// ConnectWise said no (or "not here") to these credentials: try the next form or host.
const isRefusal = (err: unknown) => err instanceof ConnectWiseHttpError && [401, 403, 404].includes(err.status);
// The host answered, but not with a member record (a login page, a proxy page, another shape):
// it says nothing about the member, only that this host is not usable for the member check.
const isNotAMemberRecord = (err: unknown): err is ConnectWiseUnusableAnswerError & { reason: UnusableMemberAnswer['reason'] } =>
  err instanceof ConnectWiseUnusableAnswerError && ['redirect', 'not_json', 'malformed_json', 'bad_shape'].includes(err.reason);

/**
 * Proves a member with `GET system/myMembers/info` (docs/connectwise.md §3.2): the company comes
 * from the tenant, the credential forms are tried in turn on each of {@link memberHosts}, and
 * only a 200 naming the claimed member succeeds. The route that worked is learned per tenant
 * and tried first until it fails (refused while another route accepts, or its host answers
 * unusably or not at all).
 *
 * Only a refusal (401/403/404) or another member's identity means "not verified". An answer
 * that is not a member record (HTML, another JSON shape, a redirect) from every host that
 * answered is {@link MemberAnswerUnusableError}: ConnectWise is not usable, not the member
 * forged. Verdicts are cached by a hash of the credentials (success 5 min, refusal 1 min);
 * "unreachable" and "unusable" are never cached and never count as success.
 */
export function createMemberVerifier(options: MemberVerifierOptions): MemberVerifier {
  const successTtl = options.successTtlMs ?? 5 * 60_000;
  const failureTtl = options.failureTtlMs ?? 60_000;
  const verdicts = new LRUCache<string, Verdict>({ max: options.maxEntries ?? 10_000, ttl: successTtl });
  const learned = new LRUCache<string, MemberRoute>({ max: options.maxEntries ?? 10_000 });
  const inflight = new Map<string, Promise<Verdict>>();
  const log = options.logger;

  const cacheKey = credentialsKey;

  function orderedRoutes(t: TenantConnection): MemberRoute[] {
    const first = learned.get(siteKey(t));
    if (!first) return allRoutes;
    return [first, ...allRoutes.filter((r) => r.host !== first.host || r.form !== first.form)];
  }

  async function callAs(
    t: TenantConnection,
    base: string,
    route: MemberRoute,
    creds: MemberAuthentication,
    signal: AbortSignal | undefined,
  ): Promise<MyMemberInfo> | never {
    const auth = memberAuthHeaders(route.form, t.companyId, creds);
    if (auth === null) throw new TypeError('form not applicable');
    const { url, endpoint } = joinApiPath(base, 'system/myMembers/info');
    return options.transport.send({
      method: 'GET',
      url,
      endpoint,
      headers: { ...restHeaders(t.clientId), ...auth },
      credentials: 'member',
      schema: MyMemberInfo,
      signal,
      // Verification shares the tenant's breaker with its data calls: one ConnectWise.
      breakerKey: breakerKeyOf(t.companyId, t.site.apiOrigin),
    });
  }

  async function probe(t: TenantConnection, creds: MemberAuthentication): Promise<Verdict> {
    const signal = AbortSignal.timeout(options.deadlineMs);
    const bases = await options.discovery.bases(t.site, t.companyId);
    const known = learned.get(siteKey(t));
    const knownBase = known && memberBase(t, bases, known.host);
    const tried = new Set<string>();
    const downHosts = new Set<string>();
    const unusable: (UnusableMemberAnswer & { base: string })[] = [];
    let refusedOnKnownBase = false;
    let down: unknown;
    // The learned route failed to serve the member check: walk the whole order next time.
    const forgetKnownOn = (base: string) => {
      if (known && base === knownBase && learned.get(siteKey(t)) === known) learned.delete(siteKey(t));
    };
    for (const route of orderedRoutes(t)) {
      const base = memberBase(t, bases, route.host);
      if (downHosts.has(base) || memberAuthHeaders(route.form, t.companyId, creds) === null) continue;
      // On-premise the UI and API hosts are one, and the UI codebase may be v4_6_release/: do not ask twice.
      const attemptKey = `${base} ${route.form}`;
      if (tried.has(attemptKey)) continue;
      tried.add(attemptKey);
      const shape = { host: route.host, form: route.form, ...credentialShape(creds) };
      try {
        const info = await callAs(t, base, route, creds, signal);
        if (info.identifier.toLowerCase() !== creds.memberid.toLowerCase()) {
          log?.warn({ cw: { verify: { ...shape, status: 200, outcome: 'member_mismatch' } } }, 'member verification');
          return { ok: false, reason: 'member_mismatch' };
        }
        log?.debug({ cw: { verify: { ...shape, status: 200, outcome: 'verified' } } }, 'member verification');
        if (!known || !sameRoute(known, route)) log?.info({ cw: { verify: { host: route.host, form: route.form, outcome: 'route_learned' } } }, 'member verification');
        learned.set(siteKey(t), route);
        return {
          ok: true,
          member: { identifier: info.identifier, name: memberName(info) },
          excludedServiceBoardIds: info.excludedServiceBoardIds ?? null,
        };
      } catch (err) {
        const status = err instanceof ConnectWiseHttpError ? err.status : undefined;
        const reason = err instanceof ConnectWiseUnreachableError || err instanceof ConnectWiseUnusableAnswerError ? err.reason : undefined;
        if (isRefusal(err)) {
          log?.debug({ cw: { verify: { ...shape, status, reason } } }, 'member verification');
          if (base === knownBase) refusedOnKnownBase = true;
          continue;
        }
        if (isNotAMemberRecord(err)) {
          // The shape of the answer (what kind, which fields), never its content.
          log?.warn(
            { cw: { verify: { ...shape, reason: err.reason, issuePaths: err.issuePaths.slice(0, 10), outcome: 'not_a_member_record' } } },
            'member verification',
          );
          unusable.push({ base, host: route.host, reason: err.reason, issuePaths: err.issuePaths });
          downHosts.add(base);
          forgetKnownOn(base);
          continue;
        }
        log?.debug({ cw: { verify: { ...shape, status, reason } } }, 'member verification');
        if (err instanceof BlockedAddressError || (err instanceof ConnectWiseHttpError && err.status === 429)) throw err;
        // The tenant's circuit is open: every other host and form would be refused the same way.
        if (err instanceof ConnectWiseUnreachableError && err.reason === 'circuit_open') throw err;
        if (err instanceof ConnectWiseHttpError || err instanceof ConnectWiseUnreachableError || err instanceof ConnectWiseUnusableAnswerError) {
          if (err instanceof ConnectWiseUnreachableError && err.reason === 'timeout' && signal.aborted) throw err;
          down = err;
          downHosts.add(base);
          forgetKnownOn(base);
          continue;
        }
        throw err;
      }
    }
    // A host that could not be reached might have been the one that accepts these
    // credentials, so an outage is never reported as a forged member.
    if (down !== undefined) throw down;
    // Likewise a host that answered with something other than a member record, unless the
    // route this tenant is known to verify on refused them (then the other hosts never
    // mattered: a forged hash there is a forged hash).
    if (unusable.length > 0 && !(refusedOnKnownBase && unusable.every((u) => u.base !== knownBase))) {
      throw new MemberAnswerUnusableError(unusable.map(({ host, reason, issuePaths }) => ({ host, reason, issuePaths })));
    }
    return { ok: false, reason: 'credentials_rejected' };
  }

  async function verdictFor(t: TenantConnection, creds: MemberAuthentication): Promise<Verdict> {
    const key = cacheKey(t, creds);
    const cached = verdicts.get(key);
    if (cached) return cached;
    let pending = inflight.get(key);
    if (!pending) {
      pending = probe(t, creds)
        .then((verdict) => {
          verdicts.set(key, verdict, { ttl: verdict.ok ? successTtl : failureTtl });
          return verdict;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  async function verify(t: TenantConnection, creds: MemberAuthentication): Promise<PodMember> {
    return (await verified(t, creds)).member;
  }

  async function verified(t: TenantConnection, creds: MemberAuthentication): Promise<VerifiedMember> {
    if (creds.companyid.trim().toLowerCase() !== t.companyId.toLowerCase()) {
      log?.warn({ cw: { verify: { outcome: 'company_mismatch' } } }, 'member verification');
      throw new MemberRejectedError('company_mismatch');
    }
    const verdict = await verdictFor(t, creds);
    if (!verdict.ok) throw new MemberRejectedError(verdict.reason);
    return { member: verdict.member, excludedServiceBoardIds: verdict.excludedServiceBoardIds };
  }

  function forget(t: TenantConnection, memberid: string): void {
    const dropped = forgetMemberKeys(verdicts, memberKey(t, memberid));
    if (dropped > 0) log?.info({ cw: { verify: { outcome: 'verdict_dropped', dropped } } }, 'member verification');
  }

  async function route(t: TenantConnection, creds: MemberAuthentication): Promise<MemberRoute> {
    const known = learned.get(siteKey(t));
    if (known) return known;
    await verify(t, creds);
    const now = learned.get(siteKey(t));
    if (now) return now;
    // A cached verdict from before the route was forgotten: learn it again.
    const verdict = await probe(t, creds);
    if (!verdict.ok) throw new MemberRejectedError(verdict.reason);
    return learned.get(siteKey(t)) ?? allRoutes[0]!;
  }

  return { verify, verified, forget, route, learnedRoute: (t) => learned.get(siteKey(t)) };
}
