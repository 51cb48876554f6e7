import { createHash } from 'node:crypto';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import { siteKey, tenantKey, type TenantConnection } from './tenant-connection.ts';

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * A member of a tenant's ConnectWise, as a digest: the prefix of every cache key that holds
 * something about that member (verification verdict, rights, "may see this ticket"), so one
 * ConnectWise 401 can drop them all at once (issue 10, revocation). Site and company, not
 * the keys: the member is the same person whatever keys the tenant uses.
 */
export function memberKey(t: Pick<TenantConnection, 'companyId' | 'site'>, memberid: string): string {
  return sha256([siteKey(t), memberid.toLowerCase()]);
}

/**
 * One set of a member's credentials with one tenant configuration: `<memberKey>:<digest>`.
 * Digests only, so memberHash and memberContext are never held as keys.
 */
export function credentialsKey(t: TenantConnection, creds: MemberAuthentication): string {
  return `${memberKey(t, creds.memberid)}:${sha256([tenantKey(t), creds.memberid.toLowerCase(), creds.memberHash, creds.memberContext ?? ''])}`;
}

/** Deletes every key of `cache` that belongs to the member (a prefix match on memberKey). */
export function forgetMemberKeys(cache: { keys(): Iterable<string>; delete(key: string): unknown }, member: string): number {
  const prefix = `${member}:`;
  let dropped = 0;
  for (const key of [...cache.keys()]) {
    if (key.startsWith(prefix)) {
      cache.delete(key);
      dropped += 1;
    }
  }
  return dropped;
}
