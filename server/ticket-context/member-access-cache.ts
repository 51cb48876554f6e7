import { LRUCache } from 'lru-cache';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import { credentialsKey, forgetMemberKeys, memberKey } from '../connectwise/member-cache-key.ts';
import type { TenantConnection } from '../connectwise/tenant-connection.ts';

/** What a member's own read of a ticket proved: they may see it, and it is on this board. */
export type MemberAccess = { boardId: number | null };

export type MemberAccessCacheOptions = {
  /** How long a "yes" is reused (default 30 s, the lifetime of the cached context parts). */
  ttlMs?: number;
  maxEntries?: number;
};

/**
 * Positive access answers, per tenant, member credentials and ticket, for a short time.
 *
 * The same trade the 5-minute member verification cache makes (server/connectwise/
 * member-verifier.ts), on a shorter clock: within `ttlMs` a member who lost the right to see
 * a ticket in ConnectWise may still see its (equally cached) context; in exchange a warm view
 * costs no ConnectWise call. Refusals are never kept, so a member given access sees the
 * ticket at once, and the refresh control bypasses the cache.
 *
 * Keys are SHA-256 digests, so the credentials themselves (memberHash, memberContext) are
 * never held as keys; the values hold only a board id. Every key starts with the member's
 * digest (member-cache-key.ts), so a ConnectWise 401 drops all of a member's entries at once.
 */
export function createMemberAccessCache(options: MemberAccessCacheOptions = {}) {
  const answers = new LRUCache<string, MemberAccess>({ max: options.maxEntries ?? 10_000, ttl: options.ttlMs ?? 30_000 });

  function keyOf(t: TenantConnection, creds: MemberAuthentication, ticketId: number): string {
    return `${credentialsKey(t, creds)}:${ticketId}`;
  }

  return {
    keyOf,
    get(key: string): MemberAccess | undefined {
      return answers.get(key);
    },
    /** Only for a member ConnectWise let read the ticket. */
    allow(key: string, access: MemberAccess): void {
      answers.set(key, access);
    },
    /** ConnectWise said no to this member on this ticket (a refreshed check): forget the yes. */
    deny(key: string): void {
      answers.delete(key);
    },
    /** ConnectWise refused the member's credentials: forget every ticket they were allowed. */
    forgetMember(t: TenantConnection, memberid: string): number {
      return forgetMemberKeys(answers, memberKey(t, memberid));
    },
    get size() {
      return answers.size;
    },
  };
}

export type MemberAccessCache = ReturnType<typeof createMemberAccessCache>;
