/**
 * Origins as the browser serialises them (`event.origin`, `targetOrigin`): scheme, host and
 * port, nothing else. The pod trusts a postMessage only when its origin is exactly one of the
 * tenant's configured origins, so this module never compares origins by prefix, suffix,
 * substring or pattern (each of those has a published bypass: see
 * docs/connectwise.md §2.3). It normalises both sides with the URL parser and
 * compares whole strings through a Set.
 */

/** Longer than any real origin; keeps pathological input away from the URL parser. */
export const MAX_ORIGIN_LENGTH = 300;

// Browsers serialise an origin in ASCII (IDN hosts as punycode) with no percent-escapes,
// userinfo, whitespace or backslashes. Anything outside this set cannot be a real origin
// but could be folded into one by the URL parser (full-width letters, "%2e", tabs), so it
// is refused before parsing rather than normalised into a match.
function isOriginCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || // -
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x3a || // :
    code === 0x2f || // /
    code === 0x5b || // [
    code === 0x5d // ]
  );
}

/**
 * The canonical form of an origin (`https://host[:port]`, host lower-cased, default port
 * dropped), or null when the value is not a plain http(s) origin: another scheme, a path,
 * query or fragment, userinfo, `"null"`, a host ending in a dot, non-ASCII characters or
 * percent-escapes. A single trailing "/" is tolerated because admins paste origins that way.
 */
export function normaliseOrigin(value: unknown, maxLength = MAX_ORIGIN_LENGTH): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) return null;
  for (let i = 0; i < value.length; i++) {
    if (!isOriginCharacter(value.charCodeAt(i))) return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // "https:host" parses as https://host/; a real origin always has the "//".
  if (value.slice(0, url.protocol.length + 2).toLowerCase() !== `${url.protocol}//`) return null;
  // href carries userinfo, path, query and fragment (even empty "?" or "#"): an origin has none.
  if (url.href !== `${url.origin}/`) return null;
  const host = url.hostname;
  if (host === '' || host.charCodeAt(host.length - 1) === 0x2e) return null;
  return url.origin;
}

export type OriginMatcher = {
  /** The normalised expected origins, in the order given, without duplicates. */
  readonly origins: readonly string[];
  /** The expected entries that are not valid origins (so a caller can report bad config). */
  readonly invalid: readonly string[];
  /** The matching expected origin, or null. Never throws. */
  match(candidate: unknown): string | null;
};

/** Exact matching against a fixed list of origins, each normalised once. */
export function createOriginMatcher(expected: readonly string[]): OriginMatcher {
  const allowed = new Set<string>();
  const invalid: string[] = [];
  for (const entry of expected) {
    const origin = normaliseOrigin(entry);
    if (origin === null) invalid.push(String(entry));
    else allowed.add(origin);
  }
  const origins = Object.freeze([...allowed]);
  return {
    origins,
    invalid: Object.freeze(invalid),
    match(candidate) {
      const origin = normaliseOrigin(candidate);
      return origin !== null && allowed.has(origin) ? origin : null;
    },
  };
}
