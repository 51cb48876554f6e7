/**
 * Whether technicians' browsers can load the pod from this server's address (issue 11
 * item 7). ConnectWise's pages are https, and a browser will not frame an http page inside
 * them; only a developer's own machine (localhost) is exempt from the warning.
 */

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for http://localhost and loopback addresses: a developer's own machine. */
export function isLocalOrigin(origin: string): boolean {
  try {
    const host = new URL(origin).hostname.toLowerCase();
    return localHosts.has(host) || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export const isHttpsOrigin = (origin: string): boolean => origin.startsWith('https://');

/** The warning to show when PUBLIC_URL will not work for technicians; null when it will. */
export function publicUrlWarning(origin: string): string | null {
  if (isHttpsOrigin(origin) || isLocalOrigin(origin)) return null;
  return `PUBLIC_URL (${origin}) is not https: ConnectWise shows the pod inside its https pages, and technicians' browsers will not load an http pod there. Set PUBLIC_URL to this server's public https address (behind a TLS proxy or load balancer) before registering the pod.`;
}
