import { BlockedAddressError } from '../connectwise/errors/BlockedAddressError.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from '../connectwise/errors/ConnectWiseUnreachableError.ts';

/** A failure explained for an admin: what happened and what to do. Never carries a secret. */
export type Explained = { message: string; fix: string };

/** True for an abort from our own time box (AbortSignal.timeout) rather than from ConnectWise. */
export function isTimeout(err: unknown): boolean {
  return (
    (err instanceof ConnectWiseUnreachableError && err.reason === 'timeout') ||
    (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
  );
}

/**
 * Why ConnectWise could not be reached at all, telling DNS, TLS, connection and HTTP
 * problems apart, so the admin knows whether to fix a typo, a certificate or a firewall.
 */
export function explainUnreachable(err: unknown, host: string, timeoutMs: number): Explained | null {
  if (err instanceof BlockedAddressError) {
    return {
      message: `Refused to connect: ${err.message}`,
      fix: 'Enter the public address of your ConnectWise server. Private addresses are allowed only when the pod server runs with ALLOW_PRIVATE_NETWORK=true.',
    };
  }
  if (isTimeout(err)) {
    return {
      message: `${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      fix: 'Check that the site is right and that ConnectWise is up; a firewall may be dropping the connection. Then run the test again.',
    };
  }
  if (!(err instanceof ConnectWiseUnreachableError)) return null;
  switch (err.reason) {
    case 'dns':
      return {
        message: `DNS: the host name ${host} does not resolve.`,
        fix: 'Check the site for typos. For ConnectWise cloud pick your region (e.g. na.myconnectwise.net); on-premise, use the public name of your server.',
      };
    case 'tls':
      return {
        message: `TLS: ${host} answered, but its certificate could not be verified (self-signed, expired or for another name).`,
        fix: 'Give the ConnectWise server a valid certificate from a public certificate authority that matches its host name.',
      };
    case 'network':
      return {
        message: `Connection: ${host} could not be reached (refused, reset or no route).`,
        fix: 'Check the site and port, and that the pod server can reach ConnectWise through your firewall.',
      };
    case 'redirect':
      return {
        message: `HTTP: ${host} answered with a redirect${err.redirectHost ? ` to ${err.redirectHost}` : ''}, which the pod server does not follow.`,
        fix: err.redirectHost
          ? `Enter the site the redirect points to (${err.redirectHost}) instead.`
          : 'Enter the final address of your ConnectWise site (the one your browser ends up on).',
      };
    case 'not_json':
      return {
        message: `HTTP: ${host} answered, but not with ConnectWise's JSON (a login page, a proxy or another web site).`,
        fix: 'Check that the site is your ConnectWise address, and that no proxy or single-sign-on gateway sits in front of its API.',
      };
    case 'bad_shape':
      return {
        message: `HTTP: ${host} answered JSON that does not look like ConnectWise's (${err.message})`,
        fix: 'Check that the site is your ConnectWise address.',
      };
    case 'circuit_open':
      return {
        message: `ConnectWise at ${host} failed several times in a row, so the pod server is pausing calls to it${err.retryAfter !== undefined ? ` for ${err.retryAfter} s` : ''}.`,
        fix: 'Wait until ConnectWise answers again (check its status page), then run the test again.',
      };
    case 'timeout':
      return null; // handled above
  }
}

/** ConnectWise's own words, when it said more than its status. */
export function cwSaid(err: ConnectWiseHttpError): string {
  const said = err.cwMessage.trim();
  return said === '' ? '' : ` ConnectWise said: "${said.slice(0, 200)}"`;
}
