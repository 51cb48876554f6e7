import { describe, expect, it } from 'vitest';
import type { MemberAuthentication } from '../../../shared/member-authentication.ts';
import type { TenantConnection } from '../../../server/connectwise/connectwise.ts';
import { createMemberAccessCache } from '../../../server/ticket-context/member-access-cache.ts';

const tenant: TenantConnection = {
  companyId: 'demo',
  site: { uiOrigin: 'https://cw.example', apiOrigin: 'https://cw.example', region: null, kind: 'on-premise' },
  publicKey: 'pub',
  privateKey: 'priv',
  clientId: 'client',
};
const creds: MemberAuthentication = { companyid: 'demo', memberid: 'jsmith', memberHash: 'SECRET-HASH-VALUE', memberContext: 'SECRET-CONTEXT' };

describe('member access cache', () => {
  it('keys by SHA-256 digests (member, then credentials) and the ticket, holding no credential', () => {
    const key = createMemberAccessCache().keyOf(tenant, creds, 1001);
    expect(key).toMatch(/^[0-9a-f]{64}:[0-9a-f]{64}:1001$/);
    expect(key).not.toContain(creds.memberHash);
    expect(key).not.toContain(creds.memberContext);
  });

  it('gives a different key for another hash, context, member, ticket or tenant', () => {
    const cache = createMemberAccessCache();
    const base = cache.keyOf(tenant, creds, 1001);
    const others = [
      cache.keyOf(tenant, { ...creds, memberHash: 'OTHER' }, 1001),
      cache.keyOf(tenant, { ...creds, memberContext: 'OTHER' }, 1001),
      cache.keyOf(tenant, { ...creds, memberid: 'asmith' }, 1001),
      cache.keyOf(tenant, creds, 1002),
      cache.keyOf({ ...tenant, companyId: 'other' }, creds, 1001),
      cache.keyOf({ ...tenant, privateKey: 'rotated' }, creds, 1001),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('treats the member identifier case-insensitively, as ConnectWise does', () => {
    const cache = createMemberAccessCache();
    expect(cache.keyOf(tenant, { ...creds, memberid: 'JSmith' }, 1001)).toBe(cache.keyOf(tenant, creds, 1001));
  });

  it('returns an allowed answer until its lifetime ends', async () => {
    const cache = createMemberAccessCache({ ttlMs: 30 });
    const key = cache.keyOf(tenant, creds, 1001);
    expect(cache.get(key)).toBeUndefined();
    cache.allow(key, { boardId: 1 });
    expect(cache.get(key)).toEqual({ boardId: 1 });
    await new Promise((r) => setTimeout(r, 80));
    expect(cache.get(key)).toBeUndefined();
  });

  it('holds at most maxEntries answers', () => {
    const cache = createMemberAccessCache({ maxEntries: 2 });
    for (const id of [1, 2, 3]) cache.allow(cache.keyOf(tenant, creds, id), { boardId: id });
    expect(cache.size).toBe(2);
    expect(cache.get(cache.keyOf(tenant, creds, 1))).toBeUndefined();
  });

  it('forgets every ticket of one member at once (any credentials), and nobody else\'s', () => {
    const cache = createMemberAccessCache();
    cache.allow(cache.keyOf(tenant, creds, 1001), { boardId: 1 });
    cache.allow(cache.keyOf(tenant, { ...creds, memberHash: 'NEWER-SIGN-IN' }, 1002), { boardId: 2 });
    const other = cache.keyOf(tenant, { ...creds, memberid: 'bwilson' }, 1001);
    cache.allow(other, { boardId: 1 });
    expect(cache.forgetMember(tenant, 'JSMITH')).toBe(2);
    expect(cache.get(cache.keyOf(tenant, creds, 1001))).toBeUndefined();
    expect(cache.get(other)).toEqual({ boardId: 1 });
  });
});
