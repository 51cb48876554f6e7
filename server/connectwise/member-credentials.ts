import type { MemberAuthentication } from '../../shared/member-authentication.ts';

/**
 * The ways a member's Hosted API credentials can be presented to ConnectWise (docs/connectwise.md
 * §3.1–3.2), in the order the reference recipe tries them. Which one ConnectWise accepts is
 * UNCONFIRMED, so verification tries them in turn and remembers the winner per tenant.
 */
export const memberForms = ['cookie', 'basic', 'cookie-encoded', 'cookie-without-context'] as const;
export type MemberForm = (typeof memberForms)[number];

// RFC 6265 cookie-octet: a value outside this set could smuggle a second cookie (e.g. a
// memberHash of "x; companyName=other"), so such values only go out percent-encoded.
const cookieOctets = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

function cookieHeader(pairs: [string, string][], encode: boolean): string | null {
  const values = pairs.map(([name, value]) => [name, encode ? encodeURIComponent(value) : value] as const);
  if (!values.every(([, value]) => cookieOctets.test(value))) return null;
  return values.map(([name, value]) => `${name}=${value}`).join('; ');
}

/**
 * The headers for one form, or null when the form cannot be sent safely or adds nothing
 * (e.g. "without context" when there was no context). `companyId` is always the tenant's.
 */
export function memberAuthHeaders(
  form: MemberForm,
  companyId: string,
  creds: MemberAuthentication,
): Record<string, string> | null {
  const base: [string, string][] = [
    ['companyName', companyId],
    ['memberId', creds.memberid],
    ['memberHash', creds.memberHash],
  ];
  const context = creds.memberContext ? creds.memberContext : undefined;
  const withContext: [string, string][] = context === undefined ? base : [...base, ['memberContext', context]];
  switch (form) {
    case 'cookie': {
      const cookie = cookieHeader(withContext, false);
      return cookie === null ? null : { Cookie: cookie };
    }
    case 'cookie-encoded': {
      const cookie = cookieHeader(withContext, true);
      return cookie === null || cookie === cookieHeader(withContext, false) ? null : { Cookie: cookie };
    }
    case 'cookie-without-context': {
      if (context === undefined) return null;
      const cookie = cookieHeader(base, false) ?? cookieHeader(base, true);
      return cookie === null ? null : { Cookie: cookie };
    }
    case 'basic': {
      // A colon in the user name would move the split between user and password.
      if (creds.memberid.includes(':') || companyId.includes(':')) return null;
      const token = Buffer.from(`${companyId}+${creds.memberid}:${creds.memberHash}`, 'utf8').toString('base64');
      return { Authorization: `Basic ${token}` };
    }
  }
}

/**
 * The headers for a read as the member: the form learned for the tenant when it fits these
 * credentials, otherwise the first form that does (a learned "URL-encoded cookie" does not
 * fit a hash that needs no encoding; "without memberContext" does not fit a member without
 * one). Null only when no form can carry them.
 */
export function memberAuthHeadersPreferring(
  learned: MemberForm,
  companyId: string,
  creds: MemberAuthentication,
): Record<string, string> | null {
  const fits = memberAuthHeaders(learned, companyId, creds);
  if (fits !== null) return fits;
  for (const form of memberForms) {
    const headers = memberAuthHeaders(form, companyId, creds);
    if (headers !== null) return headers;
  }
  return null;
}

/** What may be logged about credentials: which fields came, and their lengths. */
export function credentialShape(creds: MemberAuthentication): Record<string, number | boolean> {
  return {
    memberIdLength: creds.memberid.length,
    memberHashLength: creds.memberHash.length,
    memberContextLength: creds.memberContext?.length ?? 0,
    codeBase: creds.codeBase !== undefined,
  };
}
