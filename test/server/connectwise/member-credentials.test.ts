import { describe, expect, it } from 'vitest';
import { credentialShape, memberAuthHeaders, memberAuthHeadersPreferring } from '../../../server/connectwise/member-credentials.ts';
import type { MemberAuthentication } from '../../../shared/member-authentication.ts';

const creds: MemberAuthentication = { companyid: 'acme', memberid: 'jsmith', memberHash: 'abc123==', memberContext: 'web' };

describe('memberAuthHeaders', () => {
  it('builds the cookie form with the tenant company, not the claimed one', () => {
    expect(memberAuthHeaders('cookie', 'Acme', { ...creds, companyid: 'other' })).toEqual({
      Cookie: 'companyName=Acme; memberId=jsmith; memberHash=abc123==; memberContext=web',
    });
  });

  it('builds the Basic form as company+memberId:memberHash', () => {
    const header = memberAuthHeaders('basic', 'acme', creds)?.Authorization ?? '';
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString()).toBe('acme+jsmith:abc123==');
  });

  it('URL-encodes the values only in the encoded form, and skips it when encoding changes nothing', () => {
    expect(memberAuthHeaders('cookie-encoded', 'acme', { ...creds, memberHash: 'a/b+c=' })).toEqual({
      Cookie: 'companyName=acme; memberId=jsmith; memberHash=a%2Fb%2Bc%3D; memberContext=web',
    });
    expect(memberAuthHeaders('cookie-encoded', 'acme', { ...creds, memberHash: 'abc' })).toBeNull();
  });

  it('drops memberContext only in the without-context form, and skips that form when there was none', () => {
    expect(memberAuthHeaders('cookie-without-context', 'acme', creds)).toEqual({
      Cookie: 'companyName=acme; memberId=jsmith; memberHash=abc123==',
    });
    const { memberContext: _omit, ...noContext } = creds;
    expect(memberAuthHeaders('cookie-without-context', 'acme', noContext)).toBeNull();
    expect(memberAuthHeaders('cookie', 'acme', noContext)).toEqual({
      Cookie: 'companyName=acme; memberId=jsmith; memberHash=abc123==',
    });
  });

  it('never sends a raw value that could smuggle another cookie', () => {
    const smuggling = { ...creds, memberHash: 'x; companyName=other' };
    expect(memberAuthHeaders('cookie', 'acme', smuggling)).toBeNull();
    expect(memberAuthHeaders('cookie-encoded', 'acme', smuggling)?.Cookie).toBe(
      'companyName=acme; memberId=jsmith; memberHash=x%3B%20companyName%3Dother; memberContext=web',
    );
  });

  it('skips the Basic form when the member id contains a colon', () => {
    expect(memberAuthHeaders('basic', 'acme', { ...creds, memberid: 'a:b' })).toBeNull();
  });

  it('describes credentials by shape only', () => {
    const shape = JSON.stringify(credentialShape(creds));
    expect(shape).not.toContain('abc123');
    expect(shape).not.toContain('web');
    expect(credentialShape(creds)).toMatchObject({ memberHashLength: 8, memberContextLength: 3 });
  });
});

describe('the headers for a read as the member', () => {
  const creds = { companyid: 'acme', memberid: 'jsmith', memberHash: 'plainhash123' };

  it('use the learned form when it fits the credentials', () => {
    expect(memberAuthHeadersPreferring('basic', 'acme', creds)).toEqual(memberAuthHeaders('basic', 'acme', creds));
  });

  it('fall back to the first fitting form when the learned one does not fit', () => {
    // Learned from a member whose hash needed encoding / who had a memberContext.
    expect(memberAuthHeaders('cookie-encoded', 'acme', creds)).toBeNull();
    expect(memberAuthHeadersPreferring('cookie-encoded', 'acme', creds)).toEqual(memberAuthHeaders('cookie', 'acme', creds));
    expect(memberAuthHeaders('cookie-without-context', 'acme', creds)).toBeNull();
    expect(memberAuthHeadersPreferring('cookie-without-context', 'acme', creds)).not.toBeNull();
  });
});
