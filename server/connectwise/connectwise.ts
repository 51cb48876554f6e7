import type { z } from 'zod';
import type { ConnectWiseSite } from '../../shared/connectwise-sites.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { PodMember } from '../../shared/pod-api.ts';
import { createDiscovery } from './api-base.ts';
import { joinApiPath } from './api-path.ts';
import { memberAuthHeaders } from './member-credentials.ts';
import { createMemberVerifier } from './member-verifier.ts';
import { assertSiteAllowed, createGuardedDispatcher, systemLookup, type LookupFn, type NetworkPolicy } from './network-guard.ts';
import type { CompanyInfo } from './schemas/company-info.ts';
import { apiKeyAuthorization, restHeaders, type TenantConnection } from './tenant-connection.ts';
import { createTransport, type ConnectWiseLogger } from './transport.ts';

export type { TenantConnection } from './tenant-connection.ts';
export type { ConnectWiseLogger } from './transport.ts';
export type { LookupFn } from './network-guard.ts';

export type ConnectWiseOptions = {
  /** The product's clientId, used when a tenant has none of its own. */
  defaultClientId?: string | undefined;
  allowPrivateNetwork: boolean;
  /** Exact origins exempt from the private-network rule, e.g. the demo simulator. */
  allowedOrigins?: string[];
  /** DNS, injectable for tests; default `dns.promises.lookup(host, {all: true})`. */
  lookup?: LookupFn;
  /** Per attempt (default 5 s). */
  timeoutMs?: number;
  /** All attempts of one call, and one member verification (default 8 s). */
  totalTimeoutMs?: number;
  logger?: ConnectWiseLogger | undefined;
};

export type SearchParams = URLSearchParams | Record<string, string | number | boolean | undefined>;

export type RequestOptions = {
  searchParams?: SearchParams;
  signal?: AbortSignal;
  /** Call as this member (their Hosted API credentials) instead of with the API keys. */
  as?: MemberAuthentication;
};

export type TenantApi = {
  get<S extends z.ZodType>(path: string, schema: S, opts?: RequestOptions): Promise<z.output<S>>;
  /** POST, PUT and PATCH are never retried. */
  post<S extends z.ZodType>(path: string, body: unknown, schema: S, opts?: RequestOptions): Promise<z.output<S>>;
  put<S extends z.ZodType>(path: string, body: unknown, schema: S, opts?: RequestOptions): Promise<z.output<S>>;
  patch<S extends z.ZodType>(path: string, body: unknown, schema: S, opts?: RequestOptions): Promise<z.output<S>>;
  /** The discovered REST base, e.g. https://api-na.myconnectwise.net/v2025_1/apis/3.0 (cached). */
  apiBase(): Promise<string>;
};

export type ConnectWise = {
  companyInfo(site: ConnectWiseSite, companyId: string, opts?: { fresh?: boolean; signal?: AbortSignal }): Promise<CompanyInfo>;
  api(t: TenantConnection): TenantApi;
  verifyMember(t: TenantConnection, creds: MemberAuthentication): Promise<PodMember>;
  /** Throws BlockedAddressError when the site's hosts are not allowed (used when saving a tenant). */
  assertSiteAllowed(site: ConnectWiseSite): Promise<void>;
  /** Closes the shared connection pool (server shutdown, end of a test file). */
  close(): Promise<void>;
};

function withSearchParams(url: URL, params: SearchParams | undefined): URL {
  if (params === undefined) return url;
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [name, value] of entries) {
    if (value !== undefined) url.searchParams.append(name, String(value));
  }
  return url;
}

/**
 * The server's one way to talk to ConnectWise. One guarded undici Agent (keep-alive 30 s) is
 * shared by everything this instance does; the app creates one instance per process.
 */
export function createConnectWise(options: ConnectWiseOptions): ConnectWise {
  const policy: NetworkPolicy = {
    allowPrivateNetwork: options.allowPrivateNetwork,
    allowedOrigins: (options.allowedOrigins ?? []).map((o) => new URL(o).origin),
    lookup: options.lookup ?? systemLookup,
  };
  const timeoutMs = options.timeoutMs ?? 5000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 8000;
  const dispatcher = createGuardedDispatcher(policy, { keepAliveTimeout: 30_000, connectTimeout: timeoutMs });
  const transport = createTransport({ dispatcher, timeoutMs, totalTimeoutMs, logger: options.logger });
  const discovery = createDiscovery({ transport, logger: options.logger });
  const members = createMemberVerifier({ transport, discovery, logger: options.logger, deadlineMs: totalTimeoutMs });

  const effective = (t: TenantConnection): TenantConnection =>
    t.clientId ? t : { ...t, clientId: options.defaultClientId ?? '' };

  function api(tenant: TenantConnection): TenantApi {
    const t = effective(tenant);

    async function send<S extends z.ZodType>(
      method: 'GET' | 'POST' | 'PUT' | 'PATCH',
      path: string,
      body: unknown,
      schema: S,
      opts: RequestOptions = {},
    ): Promise<z.output<S>> {
      const bases = await discovery.bases(t.site, t.companyId);
      let base = bases.api;
      let auth: Record<string, string> = { Authorization: apiKeyAuthorization(t) };
      if (opts.as) {
        const route = await members.route(t, opts.as);
        base = route.host === 'ui' ? bases.ui : bases.api;
        const memberAuth = memberAuthHeaders(route.form, t.companyId, opts.as);
        if (memberAuth === null) throw new TypeError('the learned member form does not apply to these credentials');
        auth = memberAuth;
      }
      const { url, endpoint } = joinApiPath(base, path);
      return transport.send({
        method,
        url: withSearchParams(url, opts.searchParams),
        endpoint,
        headers: { ...restHeaders(t.clientId), ...auth },
        credentials: opts.as ? 'member' : 'api-keys',
        schema,
        json: body,
        signal: opts.signal,
      });
    }

    return {
      get: (path, schema, opts) => send('GET', path, undefined, schema, opts),
      post: (path, body, schema, opts) => send('POST', path, body, schema, opts),
      put: (path, body, schema, opts) => send('PUT', path, body, schema, opts),
      patch: (path, body, schema, opts) => send('PATCH', path, body, schema, opts),
      apiBase: async () => (await discovery.bases(t.site, t.companyId)).api,
    };
  }

  return {
    companyInfo: (site, companyId, opts) => discovery.companyInfo(site, companyId, opts),
    api,
    verifyMember: (t, creds) => members.verify(effective(t), creds),
    assertSiteAllowed: (site) => assertSiteAllowed(site, policy),
    close: () => dispatcher.close(),
  };
}
