import { describe, expect, it } from 'vitest';
import { BlockedAddressError } from '../../../server/connectwise/errors/BlockedAddressError.ts';
import { ConnectWiseHttpError, type ConnectWiseCredentialKind } from '../../../server/connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from '../../../server/connectwise/errors/ConnectWiseUnreachableError.ts';
import { ConnectWiseUnusableAnswerError } from '../../../server/connectwise/errors/ConnectWiseUnusableAnswerError.ts';
import { MemberRejectedError } from '../../../server/connectwise/errors/MemberRejectedError.ts';
import {
  classifyConnectWiseFailure,
  connectWiseFailureKinds,
  type ConnectWiseFailureKind,
} from '../../../server/connectwise/errors/classify-failure.ts';

/**
 * Issue 11 item 2: one table, every failure kind, one code, one wait and one explanation per
 * audience. The snapshots pin each explanation: a change to any of them is a change to what
 * technicians and admins read, and shows up here.
 */

const http = (status: number, cwMessage: string, options: { credentials?: ConnectWiseCredentialKind; endpoint?: string; retryAfter?: number } = {}) =>
  new ConnectWiseHttpError({
    status,
    cwMessage,
    endpoint: options.endpoint ?? 'service/tickets/7',
    credentials: options.credentials ?? 'api-keys',
    ...(options.retryAfter !== undefined ? { retryAfter: options.retryAfter } : {}),
  });

/** One real error per kind, as the transport and the verifier throw them. */
const examples: Record<ConnectWiseFailureKind, unknown> = {
  unreachable: new ConnectWiseUnreachableError('network', 'service/tickets/7'),
  timeout: new ConnectWiseUnreachableError('timeout', 'service/tickets/7'),
  dns: new ConnectWiseUnreachableError('dns', 'cw.example.com'),
  tls: new ConnectWiseUnreachableError('tls', 'service/tickets/7'),
  address_refused: new BlockedAddressError({ host: 'cw.internal.example', address: '10.0.0.5', kind: 'private' }),
  circuit_open: new ConnectWiseUnreachableError('circuit_open', 'service/tickets/7', { retryAfter: 17 }),
  redirect: new ConnectWiseUnusableAnswerError('redirect', 'service/tickets/7', { redirectHost: 'login.example.com' }),
  not_json: new ConnectWiseUnusableAnswerError('not_json', 'service/tickets/7'),
  malformed_json: new ConnectWiseUnusableAnswerError('malformed_json', 'service/tickets/7'),
  unexpected_shape: new ConnectWiseUnusableAnswerError('bad_shape', 'service/tickets/7', { issuePaths: ['board.id'] }),
  too_large: new ConnectWiseUnusableAnswerError('too_large', 'service/tickets/7', { limitBytes: 5 * 1024 * 1024 }),
  server_error: http(503, 'SqlException: timeout on db01.internal:1433'),
  rate_limited: http(429, 'Too many requests'),
  bad_request: http(400, 'ticket object is invalid'),
  keys_rejected: http(401, 'Authentication failed.'),
  client_id_rejected: http(401, 'The clientId is not recognised.'),
  api_member_gone: http(401, 'The API member is inactive.'),
  company_unknown: new ConnectWiseUnusableAnswerError('bad_shape', 'login/companyinfo', { issuePaths: ['Codebase'] }),
  forbidden: http(403, 'You do not have security permission to perform this action.'),
  member_forbidden: http(403, 'You do not have security permission to perform this action.', { credentials: 'member' }),
  not_found: http(404, 'Contact Id 9 not found', { endpoint: 'company/contacts/9' }),
  member_rejected: http(401, 'Authentication failed.', { credentials: 'member', endpoint: 'system/myMembers/info' }),
};

function row(kind: ConnectWiseFailureKind) {
  const f = classifyConnectWiseFailure(examples[kind], { host: 'api-na.myconnectwise.net', timeoutMs: 10_000 });
  if (f === null) throw new Error(`${kind} was not classified`);
  return f;
}

describe('classifyConnectWiseFailure', () => {
  it('has an example for every kind, and each example classifies as its kind', () => {
    expect(Object.keys(examples).sort()).toEqual([...connectWiseFailureKinds].sort());
    for (const kind of connectWiseFailureKinds) expect(row(kind).kind, kind).toBe(kind);
  });

  it('pins one code, status, wait, breaker verdict and tenant-level flag per kind', () => {
    const table = Object.fromEntries(
      connectWiseFailureKinds.map((kind) => {
        const f = row(kind);
        return [kind, `${f.code} ${f.status} wait=${f.retryAfter ?? '-'} cw=${f.breaker}${f.tenantLevel ? ' tenant-level' : ''}`];
      }),
    );
    expect(table).toMatchInlineSnapshot(`
      {
        "address_refused": "connectwise_unreachable 502 wait=- cw=unknown",
        "api_member_gone": "connectwise_rejected_keys 502 wait=- cw=up tenant-level",
        "bad_request": "connectwise_unreachable 502 wait=- cw=up",
        "circuit_open": "connectwise_unreachable 502 wait=17 cw=unknown",
        "client_id_rejected": "connectwise_rejected_keys 502 wait=- cw=up tenant-level",
        "company_unknown": "connectwise_rejected_keys 502 wait=- cw=up tenant-level",
        "dns": "connectwise_unreachable 502 wait=- cw=unknown",
        "forbidden": "connectwise_rejected_keys 502 wait=- cw=up",
        "keys_rejected": "connectwise_rejected_keys 502 wait=- cw=up tenant-level",
        "malformed_json": "connectwise_unreachable 502 wait=- cw=down",
        "member_forbidden": "ticket_forbidden 403 wait=- cw=up",
        "member_rejected": "member_unverified 401 wait=- cw=up",
        "not_found": "connectwise_unreachable 502 wait=- cw=up",
        "not_json": "connectwise_unreachable 502 wait=- cw=down",
        "rate_limited": "rate_limited 429 wait=30 cw=up",
        "redirect": "connectwise_unreachable 502 wait=- cw=up",
        "server_error": "connectwise_unreachable 502 wait=- cw=down",
        "timeout": "connectwise_unreachable 504 wait=- cw=down",
        "tls": "connectwise_unreachable 502 wait=- cw=unknown",
        "too_large": "connectwise_unreachable 502 wait=- cw=up",
        "unexpected_shape": "connectwise_unreachable 502 wait=- cw=up",
        "unreachable": "connectwise_unreachable 502 wait=- cw=down",
      }
    `);
  });

  it('pins the technician’s explanation of every kind', () => {
    expect(Object.fromEntries(connectWiseFailureKinds.map((kind) => [kind, row(kind).technician]))).toMatchInlineSnapshot(`
      {
        "address_refused": "The pod server is not allowed to connect to the ConnectWise address that is set up. Tell your admin.",
        "api_member_gone": "The pod’s API member is inactive or no longer exists in ConnectWise.",
        "bad_request": "ConnectWise refused the pod server’s request. Tell your admin.",
        "circuit_open": "ConnectWise is not responding (several requests in a row failed), so the pod server is pausing calls to it. Wait 17 s, then retry.",
        "client_id_rejected": "ConnectWise does not accept the pod’s clientId.",
        "company_unknown": "ConnectWise does not know the company this pod is set up for.",
        "dns": "The pod server cannot look up ConnectWise’s address. Tell your admin.",
        "forbidden": "The pod’s API member is not allowed to read what the pod needs (its ConnectWise security role lacks a right).",
        "keys_rejected": "ConnectWise does not accept the pod’s API keys (they were changed, removed or mistyped).",
        "malformed_json": "ConnectWise’s answer arrived cut off or broken. Retry in a moment.",
        "member_forbidden": "Your ConnectWise security role does not allow this.",
        "member_rejected": "ConnectWise no longer accepts your sign-in. Sign out of ConnectWise and in again.",
        "not_found": "ConnectWise has no record the pod needs here. Reopen the ticket; if it persists, tell your admin.",
        "not_json": "ConnectWise answered with a web page instead of data (often a sign-in or maintenance page). Retry in a moment; if it persists, tell your admin.",
        "rate_limited": "ConnectWise asked the pod to slow down. Wait 30 s, then retry.",
        "redirect": "ConnectWise sent the pod server elsewhere instead of answering. Tell your admin.",
        "server_error": "ConnectWise had an internal error. Wait a moment, then retry.",
        "timeout": "ConnectWise did not answer in time. Wait a moment, then retry.",
        "tls": "The pod server could not open a secure connection to ConnectWise. Tell your admin.",
        "too_large": "ConnectWise’s answer was too large for the pod to use. Tell your admin.",
        "unexpected_shape": "ConnectWise answered in a form the pod does not understand. Tell your admin.",
        "unreachable": "The pod server could not reach ConnectWise. Wait a moment, then retry.",
      }
    `);
  });

  it('pins the admin’s explanation and fix of every kind', () => {
    expect(
      Object.fromEntries(connectWiseFailureKinds.map((kind) => [kind, `${row(kind).admin} | ${row(kind).fix}`])),
    ).toMatchInlineSnapshot(`
      {
        "address_refused": "Refused to connect: cw.internal.example resolves to 10.0.0.5, a private address; set ALLOW_PRIVATE_NETWORK=true only for development. | Enter the public address of your ConnectWise server. Private addresses are allowed only when the pod server runs with ALLOW_PRIVATE_NETWORK=true.",
        "api_member_gone": "ConnectWise refused the API member (401 at service/tickets/7): it is inactive or was removed. ConnectWise said: "The API member is inactive." | Reactivate the API member, or create one and enter its keys (System › Members › API Members › <member> › API Keys).",
        "bad_request": "ConnectWise refused the request to service/tickets/7 (400). ConnectWise said: "ticket object is invalid" | Check the pod server’s logs for the fields ConnectWise named.",
        "circuit_open": "ConnectWise at api-na.myconnectwise.net failed several times in a row, so the pod server is pausing calls to it for 17 s. | Wait until ConnectWise answers again (check its status page), then run the test again.",
        "client_id_rejected": "ConnectWise refused the clientId (401 at service/tickets/7). ConnectWise said: "The clientId is not recognised." | Set CW_CLIENT_ID on the pod server to the clientId GUID from developer.connectwise.com (or fill in this tenant’s clientId field), then run the connection test again.",
        "company_unknown": "api-na.myconnectwise.net does not know this company id (login/companyinfo). | Enter the company id you type on ConnectWise’s sign-in page (the "Company" field), and check the region.",
        "dns": "DNS: the host name api-na.myconnectwise.net does not resolve from the pod server. | Check the site for typos. For ConnectWise cloud pick your region (e.g. na.myconnectwise.net); on-premise, use the public name of your server. If the name is right, the pod server’s own network or DNS may be the cause.",
        "forbidden": "ConnectWise refused service/tickets/7 (403 Forbidden): the API member’s security role lacks a right. ConnectWise said: "You do not have security permission to perform this action." | Run the connection test: it names each right the role is missing.",
        "keys_rejected": "ConnectWise refused the API keys (401 at service/tickets/7): the public or private key, or the company id, is wrong. ConnectWise said: "Authentication failed." | Check the API member’s public and private keys (System › Members › API Members › <member> › API Keys; a new private key is shown only once) and the company id.",
        "malformed_json": "HTTP: api-na.myconnectwise.net answered service/tickets/7 with JSON that does not parse (cut off or broken). | Usually passing: run the test again. If it persists, check for a proxy that truncates answers.",
        "member_forbidden": "ConnectWise refused service/tickets/7 to the signed-in member (403). ConnectWise said: "You do not have security permission to perform this action." | Give the member’s security role the right, if they should have it.",
        "member_rejected": "ConnectWise refused the signed-in member’s credentials (system/myMembers/info). | Nothing to change in the pod: the member signs in to ConnectWise again.",
        "not_found": "ConnectWise answered 404 at company/contacts/9. ConnectWise said: "Contact Id 9 not found" On ConnectWise cloud a 404 may also mean bad credentials (company id, keys or region). | Check the company id, the API member’s keys (System › Members › API Members › <member> › API Keys) and the region.",
        "not_json": "HTTP: api-na.myconnectwise.net answered service/tickets/7, but not with ConnectWise's JSON (a login page, a proxy or another web site). | Check that the site is your ConnectWise address, and that no proxy or single-sign-on gateway sits in front of its API.",
        "rate_limited": "ConnectWise is throttling requests (429) at service/tickets/7. | Wait 30 seconds, then run the test again.",
        "redirect": "HTTP: api-na.myconnectwise.net answered service/tickets/7 with a redirect to login.example.com, which the pod server does not follow. | Enter the site the redirect points to (login.example.com) instead.",
        "server_error": "ConnectWise failed with 503 at service/tickets/7. ConnectWise said: "SqlException: timeout on db01.internal:1433" | ConnectWise had an internal error; try again in a few minutes.",
        "timeout": "api-na.myconnectwise.net did not answer within 10 s (service/tickets/7). | Check that the site is right and that ConnectWise is up; a firewall may be dropping the connection. Then run the test again.",
        "tls": "TLS: api-na.myconnectwise.net answered, but its certificate could not be verified (self-signed, expired or for another name). | Give the ConnectWise server a valid certificate from a public certificate authority that matches its host name.",
        "too_large": "HTTP: api-na.myconnectwise.net answered service/tickets/7 with more than 5 MB; the answer was dropped. | Check that the site is your ConnectWise address. A real ConnectWise answer is far smaller: something else is answering.",
        "unexpected_shape": "HTTP: api-na.myconnectwise.net answered service/tickets/7 with JSON that does not look like ConnectWise’s (at board.id). | Check that the site is your ConnectWise address; if it is, give the pod server’s logs to whoever maintains it.",
        "unreachable": "Connection: api-na.myconnectwise.net could not be reached (refused, reset or no route). | Check the site and port, and that the pod server can reach ConnectWise through your firewall.",
      }
    `);
  });

  it('never puts a host, an address, an endpoint or ConnectWise’s words in a technician’s explanation', () => {
    for (const kind of connectWiseFailureKinds) {
      const text = row(kind).technician;
      expect(text, kind).not.toMatch(/myconnectwise|example\.com|cw\.internal|10\.0\.0\.5|db01|Sql|service\/tickets|login\/companyinfo|Contact Id|Authentication failed|clientId is not recognised/);
    }
  });

  it('waits as ConnectWise says when it says, else the kind’s default', () => {
    expect(classifyConnectWiseFailure(http(429, 'slow down', { retryAfter: 4 }))?.retryAfter).toBe(4);
    expect(classifyConnectWiseFailure(http(429, 'slow down'))?.retryAfter).toBe(30);
    expect(classifyConnectWiseFailure(http(503, 'maintenance', { retryAfter: 120 }))?.retryAfter).toBe(120);
    expect(classifyConnectWiseFailure(http(503, 'maintenance'))?.retryAfter).toBeUndefined();
  });

  it('tells the unknown company from rejected keys, and keeps a companyinfo 404 as an unknown company', () => {
    expect(classifyConnectWiseFailure(http(404, 'Not found', { endpoint: 'login/companyinfo', credentials: 'none' }))?.kind).toBe('company_unknown');
  });

  it('explains a member refused by the verifier in its own plain words', () => {
    const f = classifyConnectWiseFailure(new MemberRejectedError('company_mismatch'));
    expect(f).toMatchObject({ kind: 'member_rejected', code: 'member_unverified', status: 401 });
    expect(f?.technician).toBe('The ConnectWise company signed in is not the company this pod belongs to.');
  });

  it('treats our own time box as a timeout, and leaves other errors (bugs, a caller’s abort) alone', () => {
    expect(classifyConnectWiseFailure(new DOMException('timed out', 'TimeoutError'))?.kind).toBe('timeout');
    expect(classifyConnectWiseFailure(new DOMException('aborted', 'AbortError'))).toBeNull();
    expect(classifyConnectWiseFailure(new TypeError('bug'))).toBeNull();
    expect(classifyConnectWiseFailure('a string')).toBeNull();
  });
});
