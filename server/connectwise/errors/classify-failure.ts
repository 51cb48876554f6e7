import type { PodErrorCode } from '../../../shared/errors.ts';
import { BlockedAddressError } from './BlockedAddressError.ts';
import { ConnectWiseHttpError } from './ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from './ConnectWiseUnreachableError.ts';
import { ConnectWiseUnusableAnswerError } from './ConnectWiseUnusableAnswerError.ts';
import { MemberRejectedError } from './MemberRejectedError.ts';

/**
 * THE ConnectWise failure classifier (issue 11 item 2): every way a call to ConnectWise can
 * fail becomes one kind, and each kind has one pod API code, one wait default and one
 * explanation per audience. The pod API, the admin API, the connection test and the
 * transport's callers all explain failures from this table, so a 429 waits the same
 * everywhere and a login page is never called a timeout.
 *
 * Technicians (and anonymous callers) get plain words: no host, no address, no endpoint, none
 * of ConnectWise's own text (it can be anything: a stack trace, SQL). Admins get the host,
 * the endpoint, ConnectWise's words (tidied) and the fix; so does the log.
 */
export const connectWiseFailureKinds = [
  'unreachable',
  'timeout',
  'dns',
  'tls',
  'address_refused',
  'circuit_open',
  'redirect',
  'not_json',
  'malformed_json',
  'unexpected_shape',
  'too_large',
  'server_error',
  'rate_limited',
  'bad_request',
  'keys_rejected',
  'client_id_rejected',
  'api_member_gone',
  'company_unknown',
  'forbidden',
  'member_forbidden',
  'not_found',
  'member_rejected',
] as const;
export type ConnectWiseFailureKind = (typeof connectWiseFailureKinds)[number];

/**
 * Failures of the tenant's settings (keys, clientId, API member, company): no technician can
 * do anything about them and every view fails the same way, so the pod shows them as one
 * screen for the admin rather than a card per section.
 */
export const tenantLevelKinds: ReadonlySet<ConnectWiseFailureKind> = new Set([
  'keys_rejected',
  'client_id_rejected',
  'api_member_gone',
  'company_unknown',
]);

/** What the classifier knows about one failure, for the texts. */
export type FailureFacts = {
  /** The ConnectWise host called (admin texts only). */
  host: string;
  endpoint: string;
  status: number | undefined;
  /** ConnectWise's own words, tidied (admin texts only). */
  said: string;
  /** Seconds to wait: Retry-After, the circuit's, or the kind's default. */
  wait: number | undefined;
  redirectHost: string | undefined;
  issuePaths: readonly string[];
  limitBytes: number | undefined;
  /** The refused address, described (address_refused; admin texts only). */
  refusal: string;
  timeoutSeconds: number | undefined;
  memberMessage: string;
};

type Row = {
  code: PodErrorCode;
  /** HTTP status the pod and admin APIs answer. */
  status: number;
  /** Seconds a caller waits before retrying when ConnectWise names none; null when waiting does not help. */
  wait: number | null;
  /**
   * What the failure says about ConnectWise being up, for the tenant's circuit breaker:
   * "down" (no answer, a 5xx, a page or JSON that broke), "up" (it answered: any 4xx, a
   * redirect, an odd shape, an oversized answer) or "unknown" (DNS, TLS, a refused address,
   * an open circuit: nothing learnt about ConnectWise itself).
   */
  breaker: 'down' | 'up' | 'unknown';
  technician: (f: FailureFacts) => string;
  admin: (f: FailureFacts) => string;
  fix: (f: FailureFacts) => string;
};

const saidSuffix = (f: FailureFacts) => (f.said === '' ? '' : ` ConnectWise said: "${f.said}"`);
const keysPath = 'System › Members › API Members › <member> › API Keys';
const clientIdFix =
  'Set CW_CLIENT_ID on the pod server to the clientId GUID from developer.connectwise.com (or fill in this tenant’s clientId field), then run the connection test again.';

export const failureTable: Record<ConnectWiseFailureKind, Row> = {
  unreachable: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'down',
    technician: () => 'The pod server could not reach ConnectWise. Wait a moment, then retry.',
    admin: (f) => `Connection: ${f.host} could not be reached (refused, reset or no route).`,
    fix: () => 'Check the site and port, and that the pod server can reach ConnectWise through your firewall.',
  },
  timeout: {
    code: 'connectwise_unreachable',
    status: 504,
    wait: null,
    breaker: 'down',
    technician: () => 'ConnectWise did not answer in time. Wait a moment, then retry.',
    admin: (f) => `${f.host} did not answer${f.timeoutSeconds !== undefined ? ` within ${f.timeoutSeconds} s` : ' in time'} (${f.endpoint}).`,
    fix: () => 'Check that the site is right and that ConnectWise is up; a firewall may be dropping the connection. Then run the test again.',
  },
  dns: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'unknown',
    technician: () => 'The pod server cannot look up ConnectWise’s address. Tell your admin.',
    admin: (f) => `DNS: the host name ${f.host} does not resolve from the pod server.`,
    fix: () =>
      'Check the site for typos. For ConnectWise cloud pick your region (e.g. na.myconnectwise.net); on-premise, use the public name of your server. If the name is right, the pod server’s own network or DNS may be the cause.',
  },
  tls: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'unknown',
    technician: () => 'The pod server could not open a secure connection to ConnectWise. Tell your admin.',
    admin: (f) => `TLS: ${f.host} answered, but its certificate could not be verified (self-signed, expired or for another name).`,
    fix: () => 'Give the ConnectWise server a valid certificate from a public certificate authority that matches its host name.',
  },
  address_refused: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'unknown',
    technician: () => 'The pod server is not allowed to connect to the ConnectWise address that is set up. Tell your admin.',
    admin: (f) => `Refused to connect: ${f.refusal}`,
    fix: () =>
      'Enter the public address of your ConnectWise server. Private addresses are allowed only when the pod server runs with ALLOW_PRIVATE_NETWORK=true.',
  },
  circuit_open: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: 20,
    breaker: 'unknown',
    technician: (f) => `ConnectWise is not responding (several requests in a row failed), so the pod server is pausing calls to it. Wait ${f.wait} s, then retry.`,
    admin: (f) => `ConnectWise at ${f.host} failed several times in a row, so the pod server is pausing calls to it for ${f.wait} s.`,
    fix: () => 'Wait until ConnectWise answers again (check its status page), then run the test again.',
  },
  redirect: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'ConnectWise sent the pod server elsewhere instead of answering. Tell your admin.',
    admin: (f) => `HTTP: ${f.host} answered ${f.endpoint} with a redirect${f.redirectHost ? ` to ${f.redirectHost}` : ''}, which the pod server does not follow.`,
    fix: (f) =>
      f.redirectHost
        ? `Enter the site the redirect points to (${f.redirectHost}) instead.`
        : 'Enter the final address of your ConnectWise site (the one your browser ends up on).',
  },
  not_json: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'down',
    technician: () =>
      'ConnectWise answered with a web page instead of data (often a sign-in or maintenance page). Retry in a moment; if it persists, tell your admin.',
    admin: (f) => `HTTP: ${f.host} answered ${f.endpoint}, but not with ConnectWise's JSON (a login page, a proxy or another web site).`,
    fix: () => 'Check that the site is your ConnectWise address, and that no proxy or single-sign-on gateway sits in front of its API.',
  },
  malformed_json: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'down',
    technician: () => 'ConnectWise’s answer arrived cut off or broken. Retry in a moment.',
    admin: (f) => `HTTP: ${f.host} answered ${f.endpoint} with JSON that does not parse (cut off or broken).`,
    fix: () => 'Usually passing: run the test again. If it persists, check for a proxy that truncates answers.',
  },
  unexpected_shape: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'ConnectWise answered in a form the pod does not understand. Tell your admin.',
    admin: (f) =>
      `HTTP: ${f.host} answered ${f.endpoint} with JSON that does not look like ConnectWise’s${f.issuePaths.length > 0 ? ` (at ${f.issuePaths.slice(0, 5).join(', ')})` : ''}.`,
    fix: () => 'Check that the site is your ConnectWise address; if it is, give the pod server’s logs to whoever maintains it.',
  },
  too_large: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'ConnectWise’s answer was too large for the pod to use. Tell your admin.',
    admin: (f) =>
      `HTTP: ${f.host} answered ${f.endpoint} with more than ${f.limitBytes !== undefined ? `${Math.round(f.limitBytes / 1024 / 1024)} MB` : 'the pod server accepts'}; the answer was dropped.`,
    fix: () => 'Check that the site is your ConnectWise address. A real ConnectWise answer is far smaller: something else is answering.',
  },
  server_error: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'down',
    technician: (f) => `ConnectWise had an internal error. ${f.wait !== undefined ? `Wait ${f.wait} s` : 'Wait a moment'}, then retry.`,
    admin: (f) => `ConnectWise failed with ${f.status ?? 500} at ${f.endpoint}.${saidSuffix(f)}`,
    fix: () => 'ConnectWise had an internal error; try again in a few minutes.',
  },
  rate_limited: {
    code: 'rate_limited',
    status: 429,
    wait: 30,
    breaker: 'up',
    technician: (f) => `ConnectWise asked the pod to slow down. Wait ${f.wait} s, then retry.`,
    admin: (f) => `ConnectWise is throttling requests (429) at ${f.endpoint}.`,
    fix: (f) => `Wait ${f.wait} seconds, then run the test again.`,
  },
  bad_request: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'ConnectWise refused the pod server’s request. Tell your admin.',
    admin: (f) => `ConnectWise refused the request to ${f.endpoint} (${f.status ?? 400}).${saidSuffix(f)}`,
    fix: () => 'Check the pod server’s logs for the fields ConnectWise named.',
  },
  keys_rejected: {
    code: 'connectwise_rejected_keys',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'ConnectWise does not accept the pod’s API keys (they were changed, removed or mistyped).',
    admin: (f) => `ConnectWise refused the API keys (401 at ${f.endpoint}): the public or private key, or the company id, is wrong.${saidSuffix(f)}`,
    fix: () => `Check the API member’s public and private keys (${keysPath}; a new private key is shown only once) and the company id.`,
  },
  client_id_rejected: {
    code: 'connectwise_rejected_keys',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'ConnectWise does not accept the pod’s clientId.',
    admin: (f) => `ConnectWise refused the clientId (401 at ${f.endpoint}).${saidSuffix(f)}`,
    fix: () => clientIdFix,
  },
  api_member_gone: {
    code: 'connectwise_rejected_keys',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'The pod’s API member is inactive or no longer exists in ConnectWise.',
    admin: (f) => `ConnectWise refused the API member (401 at ${f.endpoint}): it is inactive or was removed.${saidSuffix(f)}`,
    fix: () => `Reactivate the API member, or create one and enter its keys (${keysPath}).`,
  },
  company_unknown: {
    code: 'connectwise_rejected_keys',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'ConnectWise does not know the company this pod is set up for.',
    admin: (f) => `${f.host} does not know this company id (${f.endpoint}${f.status !== undefined ? `: ${f.status}` : ''}).`,
    fix: () => 'Enter the company id you type on ConnectWise’s sign-in page (the "Company" field), and check the region.',
  },
  forbidden: {
    code: 'connectwise_rejected_keys',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'The pod’s API member is not allowed to read what the pod needs (its ConnectWise security role lacks a right).',
    admin: (f) => `ConnectWise refused ${f.endpoint} (403 Forbidden): the API member’s security role lacks a right.${saidSuffix(f)}`,
    fix: () => 'Run the connection test: it names each right the role is missing.',
  },
  member_forbidden: {
    code: 'ticket_forbidden',
    status: 403,
    wait: null,
    breaker: 'up',
    technician: () => 'Your ConnectWise security role does not allow this.',
    admin: (f) => `ConnectWise refused ${f.endpoint} to the signed-in member (403).${saidSuffix(f)}`,
    fix: () => 'Give the member’s security role the right, if they should have it.',
  },
  not_found: {
    code: 'connectwise_unreachable',
    status: 502,
    wait: null,
    breaker: 'up',
    technician: () => 'ConnectWise has no record the pod needs here. Reopen the ticket; if it persists, tell your admin.',
    admin: (f) =>
      `ConnectWise answered 404 at ${f.endpoint}.${saidSuffix(f)} On ConnectWise cloud a 404 may also mean bad credentials (company id, keys or region).`,
    fix: () => `Check the company id, the API member’s keys (${keysPath}) and the region.`,
  },
  member_rejected: {
    code: 'member_unverified',
    status: 401,
    wait: null,
    breaker: 'up',
    technician: (f) => f.memberMessage || 'ConnectWise no longer accepts your sign-in. Sign out of ConnectWise and in again.',
    admin: (f) => `ConnectWise refused the signed-in member’s credentials${f.endpoint ? ` (${f.endpoint})` : ''}.`,
    fix: () => 'Nothing to change in the pod: the member signs in to ConnectWise again.',
  },
};

export type ConnectWiseFailure = {
  kind: ConnectWiseFailureKind;
  code: PodErrorCode;
  status: number;
  /** Seconds; set for kinds with a wait (Retry-After wins over the default). */
  retryAfter: number | undefined;
  tenantLevel: boolean;
  breaker: Row['breaker'];
  /** Plain words for a technician or anyone anonymous: no host, address or ConnectWise text. */
  technician: string;
  /** For the admin console and the log. */
  admin: string;
  fix: string;
};

const MAX_SAID = 200;

function tidy(message: string): string {
  const oneLine = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > MAX_SAID ? `${oneLine.slice(0, MAX_SAID)}…` : oneLine;
}

/** ConnectWise's own words, when it said more than its status: for admin texts only. */
export function cwSaid(err: ConnectWiseHttpError): string {
  const said = tidy(err.cwMessage);
  return said === '' ? '' : ` ConnectWise said: "${said}"`;
}

/** ConnectWise's 401 speaks of the clientId (its code, message or a named field). */
export function mentionsClientId(err: ConnectWiseHttpError): boolean {
  return /client\s*-?\s*id/i.test(`${err.cwCode ?? ''} ${err.cwMessage} ${err.cwErrors.map((e) => `${e.field ?? ''} ${e.code ?? ''}`).join(' ')}`);
}

/** ConnectWise's 401 says the API member is inactive or gone (wording UNCONFIRMED: matched loosely). */
function mentionsInactiveMember(err: ConnectWiseHttpError): boolean {
  return /\b(inactive|deactivated|disabled|not active|no longer exists)\b/i.test(err.cwMessage);
}

/** An abort by our own time box (AbortSignal.timeout); a caller's plain abort is not a failure. */
const isOurTimeout = (err: unknown) => err instanceof Error && err.name === 'TimeoutError';

function kindOf(err: unknown): ConnectWiseFailureKind | null {
  if (err instanceof MemberRejectedError) return 'member_rejected';
  if (err instanceof BlockedAddressError) return 'address_refused';
  if (err instanceof ConnectWiseUnreachableError) {
    switch (err.reason) {
      case 'timeout':
        return 'timeout';
      case 'network':
        return 'unreachable';
      case 'dns':
        return 'dns';
      case 'tls':
        return 'tls';
      case 'circuit_open':
        return 'circuit_open';
    }
  }
  if (err instanceof ConnectWiseUnusableAnswerError) {
    // An unknown company gets a JSON null (or empty fields) from companyinfo.
    if (err.endpoint === 'login/companyinfo' && err.reason === 'bad_shape') return 'company_unknown';
    switch (err.reason) {
      case 'redirect':
        return 'redirect';
      case 'not_json':
        return 'not_json';
      case 'malformed_json':
        return 'malformed_json';
      case 'bad_shape':
        return 'unexpected_shape';
      case 'too_large':
        return 'too_large';
    }
  }
  if (err instanceof ConnectWiseHttpError) {
    if (err.status === 429) return 'rate_limited';
    if (err.status >= 500) return 'server_error';
    if (err.endpoint === 'login/companyinfo' && err.status === 404) return 'company_unknown';
    if (err.status === 401) {
      if (err.credentials === 'member') return 'member_rejected';
      if (mentionsClientId(err)) return 'client_id_rejected';
      if (mentionsInactiveMember(err)) return 'api_member_gone';
      return 'keys_rejected';
    }
    if (err.status === 403) return err.credentials === 'member' ? 'member_forbidden' : 'forbidden';
    if (err.status === 404) return 'not_found';
    return 'bad_request';
  }
  // Our own time box (AbortSignal.timeout) ran out around a ConnectWise call.
  if (isOurTimeout(err)) return 'timeout';
  return null;
}

/**
 * Classifies a failed ConnectWise call, or null when `err` is not one (a bug of ours, an
 * abort by the caller): the caller rethrows those.
 */
export function classifyConnectWiseFailure(
  err: unknown,
  context: { host?: string | undefined; timeoutMs?: number | undefined } = {},
): ConnectWiseFailure | null {
  const kind = kindOf(err);
  if (kind === null) return null;
  const row = failureTable[kind];
  const http = err instanceof ConnectWiseHttpError ? err : undefined;
  const unreachable = err instanceof ConnectWiseUnreachableError ? err : undefined;
  const unusable = err instanceof ConnectWiseUnusableAnswerError ? err : undefined;
  const given = http?.retryAfter ?? unreachable?.retryAfter;
  const wait = row.wait === null ? given : (given ?? row.wait);
  const endpoint = http?.endpoint ?? unreachable?.endpoint ?? unusable?.endpoint ?? '';
  const facts: FailureFacts = {
    host: context.host ?? (err instanceof BlockedAddressError ? err.host : 'ConnectWise'),
    endpoint,
    status: http?.status,
    said: http ? tidy(http.cwMessage) : '',
    wait,
    redirectHost: unusable?.redirectHost,
    issuePaths: unusable?.issuePaths ?? [],
    limitBytes: unusable?.limitBytes,
    refusal: err instanceof BlockedAddressError ? err.message : '',
    timeoutSeconds: context.timeoutMs !== undefined ? Math.round(context.timeoutMs / 1000) : undefined,
    memberMessage: err instanceof MemberRejectedError ? err.message : '',
  };
  return {
    kind,
    code: row.code,
    status: row.status,
    retryAfter: wait,
    tenantLevel: tenantLevelKinds.has(kind),
    breaker: row.breaker,
    technician: row.technician(facts),
    admin: row.admin(facts),
    fix: row.fix(facts),
  };
}
