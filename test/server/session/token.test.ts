import { describe, expect, it } from 'vitest';
import { createSessionTokens, SESSION_TTL_SECONDS, sessionKeyFrom, SessionTokenError } from '../../../server/session/token.ts';

const creds = { companyid: 'acme', memberid: 'jsmith', memberHash: 'hash-abc-123', memberContext: 'web' };
const member = { identifier: 'jsmith', name: 'Jane Smith' };

describe('session tokens', () => {
  it('round-trips the member and credentials for the same tenant', async () => {
    const tokens = createSessionTokens({ key: sessionKeyFrom(undefined) });
    const { token, expiresAt } = await tokens.issue('Acme', member, creds);
    const claims = await tokens.verify(token, 'ACME');
    expect(claims.member).toEqual(member);
    expect(claims.credentials).toEqual(creds);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(SESSION_TTL_SECONDS * 1000);
  });

  it('does not show the memberHash in the token text', async () => {
    const tokens = createSessionTokens({ key: sessionKeyFrom(undefined) });
    const { token } = await tokens.issue('acme', member, creds);
    expect(token).not.toContain(creds.memberHash);
    const decoded = token.split('.').map((p) => Buffer.from(p, 'base64url').toString('latin1')).join(' ');
    expect(decoded).not.toContain(creds.memberHash);
  });

  it('refuses a token issued for another tenant', async () => {
    const tokens = createSessionTokens({ key: sessionKeyFrom(undefined) });
    const { token } = await tokens.issue('acme', member, creds);
    await expect(tokens.verify(token, 'other')).rejects.toMatchObject({ reason: 'wrong_tenant' });
  });

  it('refuses an expired token as expired', async () => {
    let now = Date.now();
    const tokens = createSessionTokens({ key: sessionKeyFrom(undefined), now: () => now });
    const { token } = await tokens.issue('acme', member, creds);
    now += (SESSION_TTL_SECONDS + 60) * 1000;
    await expect(tokens.verify(token, 'acme')).rejects.toMatchObject({ reason: 'expired' });
  });

  it('never issues a token longer than 15 minutes', async () => {
    const tokens = createSessionTokens({ key: sessionKeyFrom(undefined), ttlSeconds: 24 * 3600 });
    const { expiresAt } = await tokens.issue('acme', member, creds);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(SESSION_TTL_SECONDS * 1000 + 1000);
  });

  it('refuses a token made with another key, or altered', async () => {
    const a = createSessionTokens({ key: sessionKeyFrom(undefined) });
    const b = createSessionTokens({ key: sessionKeyFrom(undefined) });
    const { token } = await a.issue('acme', member, creds);
    await expect(b.verify(token, 'acme')).rejects.toBeInstanceOf(SessionTokenError);
    const parts = token.split('.');
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('AA') ? 'BB' : 'AA');
    await expect(a.verify(parts.join('.'), 'acme')).rejects.toMatchObject({ reason: 'invalid' });
    await expect(a.verify('not-a-token', 'acme')).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('derives the same key from the same SECRET_KEY, so tokens survive a restart', async () => {
    const first = createSessionTokens({ key: sessionKeyFrom('s3cret-value-0123456789abcdef') });
    const second = createSessionTokens({ key: sessionKeyFrom('s3cret-value-0123456789abcdef') });
    const { token } = await first.issue('acme', member, creds);
    await expect(second.verify(token, 'acme')).resolves.toMatchObject({ member });
  });

  it('answers a token verified before from memory, but still refuses it after expiry or for another tenant', async () => {
    let now = Date.now();
    const tokens = createSessionTokens({ key: sessionKeyFrom(undefined), now: () => now });
    const { token } = await tokens.issue('acme', member, creds);
    await expect(tokens.verify(token, 'acme')).resolves.toMatchObject({ member });
    await expect(tokens.verify(token, 'ACME')).resolves.toMatchObject({ member });
    await expect(tokens.verify(token, 'other')).rejects.toMatchObject({ reason: 'wrong_tenant' });
    now += (SESSION_TTL_SECONDS + 60) * 1000;
    await expect(tokens.verify(token, 'acme')).rejects.toMatchObject({ reason: 'expired' });
  });

  it('does not let an altered token ride on a cached one', async () => {
    const tokens = createSessionTokens({ key: sessionKeyFrom(undefined) });
    const { token } = await tokens.issue('acme', member, creds);
    await tokens.verify(token, 'acme');
    const parts = token.split('.');
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('AA') ? 'BB' : 'AA');
    await expect(tokens.verify(parts.join('.'), 'acme')).rejects.toMatchObject({ reason: 'invalid' });
  });
});
