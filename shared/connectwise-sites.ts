import * as z from 'zod/mini';
import { normaliseOrigin } from './origins.ts';

/**
 * Where a ConnectWise PSA lives. Cloud tenants are served from a regional UI host (which
 * frames the pod) and an `api-` REST host; on-premise servers use one host for both.
 * Source: django-connectwise's CW_CLOUD_URLS (see docs/connectwise.md §2.3).
 */
export const cloudRegions = [
  { id: 'na', label: 'North America', uiHost: 'na.myconnectwise.net', apiHost: 'api-na.myconnectwise.net' },
  { id: 'eu', label: 'Europe', uiHost: 'eu.myconnectwise.net', apiHost: 'api-eu.myconnectwise.net' },
  { id: 'au', label: 'Australia', uiHost: 'au.myconnectwise.net', apiHost: 'api-au.myconnectwise.net' },
  { id: 'aus', label: 'Australia (2)', uiHost: 'aus.myconnectwise.net', apiHost: 'api-aus.myconnectwise.net' },
  { id: 'za', label: 'South Africa', uiHost: 'za.myconnectwise.net', apiHost: 'api-za.myconnectwise.net' },
  { id: 'staging', label: 'Staging', uiHost: 'staging.connectwisedev.com', apiHost: 'api-staging.connectwisedev.com' },
] as const;

export const RegionId = z.enum(['na', 'eu', 'au', 'aus', 'za', 'staging']);
export type RegionId = z.infer<typeof RegionId>;

/** The canonical form of a ConnectWise site, derived from whatever the admin typed. */
export const ConnectWiseSite = z.object({
  /** Origin of the ConnectWise web UI: frames the pod, sends its postMessages. */
  uiOrigin: z.string(),
  /** Origin of the REST API (`api-` host on cloud; the same host on-premise). */
  apiOrigin: z.string(),
  /** The cloud region, or null for on-premise and other hosts. */
  region: z.nullable(RegionId),
  kind: z.enum(['cloud', 'on-premise']),
});
export type ConnectWiseSite = z.infer<typeof ConnectWiseSite>;

const MAX_SITE_LENGTH = 300;

export type SiteResult = { ok: true; site: ConnectWiseSite } | { ok: false; message: string };

// Cloud families: a UI host "<x>.<domain>" has REST at "api-<x>.<domain>".
const cloudDomains = ['myconnectwise.net', 'connectwisedev.com', 'connectwise.net'];

/**
 * Normalises a site as an admin types it: "na.myconnectwise.net",
 * "https://eu.myconnectwise.net/", "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"
 * and "connect.example.com" all become a UI origin plus an API origin. Only the scheme, host
 * and port are kept. Whether the host may be reached (private addresses, DNS) is the server's
 * job, not this function's.
 */
export function normaliseSite(input: string): SiteResult {
  const result = parseSite(input);
  if (!result.ok) return result;
  // The origins end up in CSP frame-ancestors and in the pod's origin check: both must pass
  // the same exact-origin normaliser (a "*" or ";" in a host parses as a URL, but is no
  // origin a browser sends). Applies with ALLOW_PRIVATE_NETWORK too (issue 10 item 5).
  const { uiOrigin, apiOrigin } = result.site;
  const exact = (origin: string) => normaliseOrigin(origin, MAX_SITE_LENGTH + 'https://'.length + 4) === origin;
  if (!exact(uiOrigin) || !exact(apiOrigin)) {
    return { ok: false, message: `"${input.trim().slice(0, 100)}" has characters no host name has; enter the address as your browser shows it.` };
  }
  return result;
}

function parseSite(input: string): SiteResult {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, message: 'Enter the ConnectWise site, e.g. na.myconnectwise.net.' };
  if (trimmed.length > MAX_SITE_LENGTH) return { ok: false, message: 'The site is too long (300 characters at most).' };
  // "eu" (or "https://eu") is a region's short form, not a host called "eu" (issue 11 item 6).
  const short = shortRegion(trimmed);
  if (short !== null) {
    return { ok: true, site: { uiOrigin: `https://${short.uiHost}`, apiOrigin: `https://${short.apiHost}`, region: short.id, kind: 'cloud' } };
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: `"${trimmed}" is not a web address.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `Only https:// (or http:// for a local test server) is allowed, not ${url.protocol}//.` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'Remove the user name and password from the site: API keys go in their own fields.' };
  }
  if (url.hostname === '') return { ok: false, message: 'The site has no host name.' };

  const host = url.hostname.toLowerCase();
  const family = cloudDomains.find((d) => host.endsWith(`.${d}`));
  if (family !== undefined) {
    const label = host.slice(0, -(family.length + 1));
    const uiLabel = label.startsWith('api-') ? label.slice(4) : label;
    if (label.includes('.') || label === 'api' || uiLabel === '' || uiLabel === 'api' || uiLabel.startsWith('api-')) {
      return { ok: false, message: `"${host}" is not a ConnectWise cloud site; pick your region instead.` };
    }
    const region = cloudRegions.find((r) => r.uiHost === `${uiLabel}.${family}`);
    // Cloud sites are always HTTPS on 443; an http:// or :port typed by hand is a typo.
    return {
      ok: true,
      site: {
        uiOrigin: `https://${uiLabel}.${family}`,
        apiOrigin: `https://api-${uiLabel}.${family}`,
        region: region ? region.id : null,
        kind: 'cloud',
      },
    };
  }
  return { ok: true, site: { uiOrigin: url.origin, apiOrigin: url.origin, region: null, kind: 'on-premise' } };
}

/** The region a UI or API host belongs to, if it is a known cloud host. */
export function regionOfHost(host: string): RegionId | null {
  const h = host.toLowerCase().replace(/^api-/, '');
  return cloudRegions.find((r) => r.uiHost === h)?.id ?? null;
}

/** The cloud regions an admin may type as a bare word ("na", "eu", "au", "aus", "za"). */
const shortForms: readonly RegionId[] = ['na', 'eu', 'au', 'aus', 'za'];

function shortRegion(input: string): (typeof cloudRegions)[number] | null {
  const word = input.toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (!(shortForms as readonly string[]).includes(word)) return null;
  return cloudRegions.find((r) => r.id === word) ?? null;
}

/**
 * The cloud site an admin probably meant when the host looks like a cloud host on the wrong
 * domain ("na.myconnectwise.com" → "https://na.myconnectwise.net"); null otherwise.
 */
export function cloudLookAlike(input: string): string | null {
  const host = input.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/:?#].*$/, '');
  const m = /^(?:api-)?([a-z]+)\.myconnectwise\.([a-z.]+)$/.exec(host);
  if (m === null || m[2] === 'net') return null;
  const region = cloudRegions.find((r) => r.id === m[1]);
  return region ? `https://${region.uiHost}` : null;
}
