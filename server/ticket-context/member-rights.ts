import { LRUCache } from 'lru-cache';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import { podPermissions, type PodPermission, type PodSection, type RoleLevel } from '../../shared/pod-permissions.ts';
import { findSetting, parseLevel } from '../admin/permission-check.ts';
import type { ConnectWise, TenantConnection } from '../connectwise/connectwise.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { credentialsKey, forgetMemberKeys, memberKey } from '../connectwise/member-cache-key.ts';
import { MySecurity } from '../connectwise/schemas/security.ts';

/**
 * How a technician may see one section of the ticket view:
 * - `all`: their role grants it at level All: the shared answer read with the API keys is theirs;
 * - `mine`: level My ("Mine"): only their own records (time entries are filtered to theirs;
 *   other sections are read as the member, and ConnectWise decides);
 * - `none`: their role does not include it: the section holds no data;
 * - `ask`: their rights could not be read (system/mySecurity refused, or no row matched):
 *   the section is read with their own credentials, the one sure way.
 */
export type SectionAccessLevel = 'all' | 'mine' | 'none' | 'ask';

export type SectionRight = { access: SectionAccessLevel; permission: PodPermission | null };

export type MemberRights = {
  sections: Record<PodSection, SectionRight>;
  /** Service boards ConnectWise hides from the member; null when ConnectWise did not say. */
  excludedBoardIds: number[] | null;
  /** Where `sections` came from: the member's system/mySecurity, or nothing (every section `ask`). */
  source: 'my_security' | 'unknown';
};

const sections: readonly PodSection[] = ['notes', 'time', 'contact', 'configurations', 'agreements', 'otherOpenTickets'];
const rank: Record<RoleLevel, number> = { None: 0, My: 1, All: 2 };
const accessOf: Record<RoleLevel, SectionAccessLevel> = { None: 'none', My: 'mine', All: 'all' };

type SecurityRow = MySecurity[number];

/**
 * One section's access from the member's rows: every row of the permission table
 * (shared/pod-permissions.ts) that names the section and is found in the rows (identifier
 * or name, UNCONFIRMED strings) counts, and the most restrictive decides. None found: `ask`.
 */
export function sectionRight(rows: readonly SecurityRow[] | null, section: PodSection): SectionRight {
  if (rows === null) return { access: 'ask', permission: null };
  let decided: { level: RoleLevel; permission: PodPermission } | null = null;
  for (const permission of podPermissions) {
    if (!permission.sections.includes(section)) continue;
    const row = findSetting(rows, permission);
    if (row === undefined) continue;
    const level = parseLevel(row.inquireLevel);
    if (decided === null || rank[level] < rank[decided.level]) decided = { level, permission };
  }
  return decided === null ? { access: 'ask', permission: null } : { access: accessOf[decided.level], permission: decided.permission };
}

export function rightsFrom(rows: readonly SecurityRow[] | null, excludedBoardIds: number[] | null): MemberRights {
  return {
    sections: Object.fromEntries(sections.map((s) => [s, sectionRight(rows, s)])) as Record<PodSection, SectionRight>,
    excludedBoardIds,
    source: rows === null ? 'unknown' : 'my_security',
  };
}

/** ConnectWise refused the member's credentials themselves (not a right): revocation. */
export const isCredentialRefusal = (err: unknown) =>
  (err instanceof ConnectWiseHttpError && err.status === 401 && err.credentials === 'member') ||
  (err instanceof Error && err.name === 'MemberRejectedError' && (err as Error & { reason?: string }).reason === 'credentials_rejected');

export type MemberRightsOptions = {
  connectwise: ConnectWise;
  /** As long as a verification verdict (default 5 min): rights are learned once per verified session. */
  ttlMs?: number;
  maxEntries?: number;
};

/**
 * The technician's own rights, learned with their credentials once per verified session:
 * `system/mySecurity` (one call; whether members may call it is UNCONFIRMED) and the
 * `excludedServiceBoardIds` the verification answer carried (no call). Cached by a digest of
 * tenant and credentials like the verdict, for as long.
 *
 * mySecurity refused (403/404) or unreadable: every section is `ask` (read as the member),
 * never "all": safe and still useful. A refusal is cached like an answer (it is a fact about
 * the role); an outage is not. A 401 is thrown: the credentials are stale or revoked.
 */
export function createMemberRights(options: MemberRightsOptions) {
  const ttl = options.ttlMs ?? 5 * 60_000;
  const cache = new LRUCache<string, MemberRights>({ max: options.maxEntries ?? 10_000, ttl });
  const flights = new Map<string, Promise<MemberRights>>();

  async function load(t: TenantConnection, creds: MemberAuthentication, key: string): Promise<MemberRights> {
    const security = options.connectwise
      .api(t)
      .get('system/mySecurity', MySecurity, { as: creds, searchParams: { pageSize: 1000 } })
      .then(
        (rows) => ({ rows: rows as SecurityRow[] | null, keep: true }),
        (err: unknown) => {
          if (isCredentialRefusal(err)) throw err;
          const refused = err instanceof ConnectWiseHttpError && [403, 404].includes(err.status);
          return { rows: null, keep: refused };
        },
      );
    const [{ rows, keep }, verified] = await Promise.all([security, options.connectwise.verifiedMember(t, creds)]);
    const rights = rightsFrom(rows, verified.excludedServiceBoardIds);
    if (keep) cache.set(key, rights);
    return rights;
  }

  return {
    /** The member's rights: cached, joined in flight, or read now. */
    get(t: TenantConnection, creds: MemberAuthentication): Promise<MemberRights> {
      const key = credentialsKey(t, creds);
      const known = cache.get(key);
      if (known !== undefined) return Promise.resolve(known);
      let flight = flights.get(key);
      if (flight === undefined) {
        flight = load(t, creds, key);
        const started = flight;
        const settle = () => {
          if (flights.get(key) === started) flights.delete(key);
        };
        started.then(settle, settle);
        flights.set(key, started);
      }
      return flight;
    },
    /** Drops whatever is held for this member (any credentials). */
    forget(t: TenantConnection, memberid: string): void {
      forgetMemberKeys(cache, memberKey(t, memberid));
    },
  };
}

export type MemberRightsCache = ReturnType<typeof createMemberRights>;
