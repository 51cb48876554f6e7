/**
 * Joins a caller's path to an API base so it can only ever name something below that base.
 * Absolute URLs, protocol-relative `//host`, backslashes and dot segments are refused before
 * joining (the axios/ky "input overrides baseUrl" class of bug), and the result is checked
 * again after URL parsing, which also decodes `%2e%2e`.
 */
export function joinApiPath(base: string, path: string): { url: URL; endpoint: string } {
  const baseUrl = new URL(base);
  const basePath = baseUrl.pathname.replace(/\/+$/, '');
  if (
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    path.startsWith('//') ||
    path.includes('\\') ||
    path.includes('#') ||
    /[\u0000-\u0020\u007f]/.test(path) ||
    /(^|\/)\.\.?(\/|\?|$)/.test(path)
  ) {
    throw new TypeError(`unsafe ConnectWise API path: ${JSON.stringify(path.slice(0, 100))}`);
  }
  const relative = path.replace(/^\//, '');
  const url = new URL(`${baseUrl.origin}${basePath}/${relative}`);
  if (url.origin !== baseUrl.origin || !url.pathname.startsWith(`${basePath}/`) || url.username || url.password) {
    throw new TypeError(`ConnectWise API path escapes the API base: ${JSON.stringify(path.slice(0, 100))}`);
  }
  return { url, endpoint: url.pathname.slice(basePath.length + 1) };
}
