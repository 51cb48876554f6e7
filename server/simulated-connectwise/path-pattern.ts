/**
 * Fault rules and call-log filters name requests by a path pattern matched against the END of
 * the path, case-insensitively, with `*` matching any run of characters (including "/").
 * "service/tickets/*" matches "/v4_6_release/apis/3.0/service/tickets/7/notes";
 * "service/tickets" matches only a path ending in exactly that.
 */
export function pathMatches(pattern: string, pathname: string): boolean {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const anchored = pattern.startsWith('/') ? `^${escaped}$` : `(^|/)${escaped}$`;
  return new RegExp(anchored, 'i').test(pathname);
}
