import { promises as dnsPromises, type LookupAddress } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';
import type { ConnectWiseSite } from '../../shared/connectwise-sites.ts';
import { BlockedAddressError, type BlockedAddressKind } from './errors/BlockedAddressError.ts';
import { ConnectWiseUnreachableError } from './errors/ConnectWiseUnreachableError.ts';

/** Resolves a host name to every address it has (injectable so tests need no DNS). */
export type LookupFn = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export type NetworkPolicy = {
  /** Development only: connect to loopback, private and other non-public addresses. */
  allowPrivateNetwork: boolean;
  /** Exact origins exempt from the address rule (e.g. the demo simulator on 127.0.0.1). */
  allowedOrigins: readonly string[];
  lookup: LookupFn;
};

export const systemLookup: LookupFn = async (hostname) => {
  const answers = await dnsPromises.lookup(hostname, { all: true, order: 'verbatim' });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

// Instance-metadata endpoints (AWS, ECS task metadata, Alibaba, Oracle). Most are inside a
// blocked range anyway; naming them gives the admin a clearer message.
const metadataAddresses = new Set(
  ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', 'fd00:ec2::23', '100.100.100.200', '192.0.0.192'].map((a) =>
    ipaddr.parse(a).toNormalizedString(),
  ),
);

const kindOfRange: Record<string, BlockedAddressKind> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  carrierGradeNat: 'carrier-grade NAT',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
};

/**
 * Why an address must not be connected to, or null for a public unicast address. IPv4-mapped
 * IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries; anything ipaddr.js does
 * not call "unicast" (6to4, NAT64, Teredo, documentation ranges…) is refused.
 */
export function classifyAddress(address: string): BlockedAddressKind | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return 'non-public';
  }
  if (metadataAddresses.has(ip.toNormalizedString())) return 'cloud metadata';
  const range = ip.range();
  if (range === 'unicast') return null;
  return kindOfRange[range] ?? 'reserved';
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

function originOf(protocol: string, hostname: string, port: string): string {
  const host = net.isIP(hostname) === 6 ? `[${hostname}]` : hostname;
  return `${protocol}//${host}${port ? `:${port}` : ''}`;
}

/**
 * The policy at save time: a ConnectWise URL must be http(s), carry no credentials, and
 * (unless exempt) point only at public unicast addresses. The same rule runs again on every
 * connection (see createGuardedDispatcher), because DNS can change between now and then.
 */
export async function assertUrlAllowed(rawUrl: string, policy: NetworkPolicy): Promise<void> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new BlockedAddressError({ host: rawUrl, kind: 'scheme', message: `"${rawUrl}" is not a web address.` });
  }
  const host = bare(url.hostname);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BlockedAddressError({
      host,
      kind: 'scheme',
      message: `Only https:// (or http:// for a local test server) is allowed, not ${url.protocol}//.`,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new BlockedAddressError({
      host,
      kind: 'credentials',
      message: `The address of ${host} contains a user name or password; remove them.`,
    });
  }
  if (policy.allowPrivateNetwork || policy.allowedOrigins.includes(url.origin)) return;
  if (net.isIP(host) !== 0) {
    const kind = classifyAddress(host);
    if (kind) throw new BlockedAddressError({ host, address: host, kind });
  } else {
    let answers: { address: string }[];
    try {
      answers = await policy.lookup(host);
    } catch (err) {
      throw new ConnectWiseUnreachableError('dns', host, { cause: err });
    }
    if (answers.length === 0) throw new ConnectWiseUnreachableError('dns', host);
    for (const { address } of answers) {
      const kind = classifyAddress(address);
      if (kind) throw new BlockedAddressError({ host, address, kind });
    }
  }
  // The API keys travel in the Authorization header: in clear over plain http.
  if (url.protocol === 'http:') {
    throw new BlockedAddressError({
      host,
      kind: 'scheme',
      message: `ConnectWise must be reached over https:// (the API keys travel with every request); http://${host} is allowed only with ALLOW_PRIVATE_NETWORK=true, for a local test server.`,
    });
  }
}

export async function assertSiteAllowed(site: ConnectWiseSite, policy: NetworkPolicy): Promise<void> {
  await assertUrlAllowed(site.uiOrigin, policy);
  if (site.apiOrigin !== site.uiOrigin) await assertUrlAllowed(site.apiOrigin, policy);
}

type NodeLookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `net.connect` lookup hook that resolves with the policy's resolver and, when `check` is
 * set, refuses any answer that is not public unicast. Because the socket connects to exactly
 * the addresses this hook returns, the address checked is the address connected to (a DNS
 * rebinding between save and connect is caught here).
 */
function nodeLookup(policy: NetworkPolicy, check: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: NodeLookupCallback) => {
    policy.lookup(hostname).then(
      (answers) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family ?? 0);
        const usable = family === 4 || family === 6 ? answers.filter((a) => a.family === family) : answers;
        if (usable.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '');
          return;
        }
        if (check) {
          for (const { address } of usable) {
            const kind = classifyAddress(address);
            if (kind) {
              callback(new BlockedAddressError({ host: hostname, address, kind }), '');
              return;
            }
          }
        }
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, ''),
    );
  };
}

/**
 * The one undici Agent the ConnectWise client sends everything through (passed to the global
 * fetch as `dispatcher`, so keep-alive connections are shared). Every new connection is
 * checked: IP-literal hosts here (net.connect skips the lookup hook for them), host names in
 * the lookup hook. Exempt origins and ALLOW_PRIVATE_NETWORK skip the check, not the resolver.
 */
export function createGuardedDispatcher(
  policy: NetworkPolicy,
  options: { keepAliveTimeout?: number; connectTimeout?: number } = {},
): Agent {
  const timeout = options.connectTimeout ?? 10_000;
  const guarded = buildConnector({ timeout, lookup: nodeLookup(policy, true) as never });
  const open = buildConnector({ timeout, lookup: nodeLookup(policy, false) as never });
  const allowed = new Set(policy.allowedOrigins);
  const connect: buildConnector.connector = (opts, callback) => {
    const hostname = bare(opts.hostname);
    if (policy.allowPrivateNetwork || allowed.has(originOf(opts.protocol, hostname, opts.port))) {
      open(opts, callback);
      return;
    }
    if (net.isIP(hostname) !== 0) {
      const kind = classifyAddress(hostname);
      if (kind) {
        callback(new BlockedAddressError({ host: hostname, address: hostname, kind }), null);
        return;
      }
    }
    guarded(opts, callback);
  };
  return new Agent({ connect, keepAliveTimeout: options.keepAliveTimeout ?? 30_000 });
}
