import { LRUCache } from 'lru-cache';
import { regionOfHost, type ConnectWiseSite } from '../../shared/connectwise-sites.ts';
import { joinApiPath } from './api-path.ts';
import { ConnectWiseHttpError } from './errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnusableAnswerError } from './errors/ConnectWiseUnusableAnswerError.ts';
import { CompanyInfo } from './schemas/company-info.ts';
import { breakerKeyOf, type ConnectWiseLogger, type Transport } from './transport.ts';

export const ON_PREMISE_CODEBASE = 'v4_6_release/';
const INFO_TTL_MS = 60 * 60_000;
const FALLBACK_TTL_MS = 5 * 60_000;

/** Where a tenant's REST API lives: the discovered base, and the same path on the UI host. */
export type ApiBases = {
  /** e.g. https://api-na.myconnectwise.net/v2025_1/apis/3.0 (no trailing slash) */
  api: string;
  /** The UI host with the same codebase; equal to `api` on-premise. */
  ui: string;
  codebase: string;
  /** False when companyinfo could not be read and the on-premise codebase was assumed. */
  discovered: boolean;
};

/**
 * The REST origin for a site given its companyinfo. ConnectWise's rule: on-premise answers
 * "v4_6_release/" and keeps its host; anything else is cloud and uses the `api-` host. The
 * `SiteUrl` it returns is only believed when it names a host we would have used anyway or a
 * known ConnectWise cloud `api-` host, so a companyinfo answer can never send our keys to
 * an arbitrary host.
 */
export function apiOriginFor(site: ConnectWiseSite, info: CompanyInfo): string {
  const isCloud = info.IsCloud ?? info.Codebase !== ON_PREMISE_CODEBASE;
  if (!isCloud) return site.apiOrigin;
  const siteApiHost = new URL(site.apiOrigin).hostname;
  const siteUiHost = new URL(site.uiOrigin).hostname;
  const reported = hostOf(info.SiteUrl);
  if (reported === undefined || reported === siteApiHost || reported === siteUiHost) return site.apiOrigin;
  if (reported.startsWith('api-') && regionOfHost(reported) !== null) return `https://${reported}`;
  return site.apiOrigin;
}

function hostOf(siteUrl: string | null | undefined): string | undefined {
  if (!siteUrl) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(siteUrl) ? siteUrl : `https://${siteUrl}`);
    return url.hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function basesFor(site: ConnectWiseSite, info: CompanyInfo): ApiBases {
  return {
    api: `${apiOriginFor(site, info)}/${info.Codebase}apis/3.0`,
    ui: `${site.uiOrigin}/${info.Codebase}apis/3.0`,
    codebase: info.Codebase,
    discovered: true,
  };
}

export type Discovery = {
  companyInfo(site: ConnectWiseSite, companyId: string, opts?: { fresh?: boolean; signal?: AbortSignal }): Promise<CompanyInfo>;
  bases(site: ConnectWiseSite, companyId: string, opts?: { fresh?: boolean }): Promise<ApiBases>;
};

/**
 * Codebase discovery (`GET {uiOrigin}/login/companyinfo/{companyId}`, no credentials), cached
 * per company and site and shared by concurrent callers.
 *
 * When companyinfo fails, an on-premise site whose server answered but not usefully (404, an
 * HTML page, an odd shape: typically a reverse proxy exposing only the API) falls back to
 * "v4_6_release/", the only codebase on-premise servers use, for a few minutes. A site that
 * cannot be reached at all, and every cloud site, gets the error: a cloud codebase cannot
 * be guessed.
 */
export function createDiscovery(options: { transport: Transport; logger?: ConnectWiseLogger | undefined }): Discovery {
  const infoCache = new LRUCache<string, CompanyInfo>({ max: 1000, ttl: INFO_TTL_MS });
  const baseCache = new LRUCache<string, ApiBases>({ max: 1000, ttl: INFO_TTL_MS });
  const inflight = new Map<string, Promise<CompanyInfo>>();

  const keyOf = (site: ConnectWiseSite, companyId: string) =>
    JSON.stringify([companyId.toLowerCase(), site.uiOrigin, site.apiOrigin]);

  async function companyInfo(
    site: ConnectWiseSite,
    companyId: string,
    opts: { fresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<CompanyInfo> {
    const key = keyOf(site, companyId);
    if (!opts.fresh) {
      const hit = infoCache.get(key);
      if (hit) return hit;
      const pending = inflight.get(key);
      if (pending) return pending;
    }
    const { url } = joinApiPath(`${site.uiOrigin}/login`, `companyinfo/${encodeURIComponent(companyId)}`);
    const pending = options.transport
      .send({
        method: 'GET',
        url,
        endpoint: 'login/companyinfo',
        headers: { Accept: 'application/json' },
        credentials: 'none',
        schema: CompanyInfo,
        signal: opts.signal,
        breakerKey: breakerKeyOf(companyId, site.apiOrigin),
      })
      .then((info) => {
        infoCache.set(key, info);
        baseCache.delete(key);
        return info;
      })
      .finally(() => {
        if (inflight.get(key) === pending) inflight.delete(key);
      });
    inflight.set(key, pending);
    return pending;
  }

  async function bases(site: ConnectWiseSite, companyId: string, opts: { fresh?: boolean } = {}): Promise<ApiBases> {
    const key = keyOf(site, companyId);
    if (!opts.fresh) {
      const hit = baseCache.get(key);
      if (hit) return hit;
    }
    try {
      const result = basesFor(site, await companyInfo(site, companyId, opts));
      baseCache.set(key, result);
      return result;
    } catch (err) {
      const answeredUselessly =
        (err instanceof ConnectWiseHttpError && err.status === 404) ||
        (err instanceof ConnectWiseUnusableAnswerError && ['not_json', 'malformed_json', 'bad_shape'].includes(err.reason));
      if (site.kind !== 'on-premise' || !answeredUselessly) throw err;
      options.logger?.warn(
        { cw: { endpoint: 'login/companyinfo', host: new URL(site.uiOrigin).host, fallback: ON_PREMISE_CODEBASE } },
        'companyinfo unusable; assuming the on-premise codebase',
      );
      const base = `${site.apiOrigin}/${ON_PREMISE_CODEBASE}apis/3.0`;
      const result: ApiBases = { api: base, ui: base, codebase: ON_PREMISE_CODEBASE, discovered: false };
      baseCache.set(key, result, { ttl: FALLBACK_TTL_MS });
      return result;
    }
  }

  return { companyInfo, bases };
}
