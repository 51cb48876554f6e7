import type { z } from 'zod';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { Discovery } from './api-base.ts';
import { joinApiPath } from './api-path.ts';
import { memberAuthHeadersPreferring } from './member-credentials.ts';
import { MemberRejectedError } from './errors/MemberRejectedError.ts';
import { memberBase, type MemberVerifier } from './member-verifier.ts';
import { apiKeyAuthorization, restHeaders, type TenantConnection } from './tenant-connection.ts';
import { breakerKeyOf, type Transport } from './transport.ts';

export type { TenantConnection } from './tenant-connection.ts';

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

function withSearchParams(url: URL, params: SearchParams | undefined): URL {
  if (params === undefined) return url;
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [name, value] of entries) {
    if (value !== undefined) url.searchParams.append(name, String(value));
  }
  return url;
}

/**
 * One tenant's REST API: paths below the discovered base, the API keys (or, with `as`, the
 * member's own credentials in the form learned during verification) and the tenant's clientId.
 */
export function createTenantApi(
  deps: { transport: Transport; discovery: Discovery; members: MemberVerifier },
  t: TenantConnection,
): TenantApi {
  async function send<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    body: unknown,
    schema: S,
    opts: RequestOptions = {},
  ): Promise<z.output<S>> {
    const bases = await deps.discovery.bases(t.site, t.companyId);
    let base = bases.api;
    let auth: Record<string, string> = { Authorization: apiKeyAuthorization(t) };
    if (opts.as) {
      const route = await deps.members.route(t, opts.as);
      base = memberBase(t, bases, route.host);
      const memberAuth = memberAuthHeadersPreferring(route.form, t.companyId, opts.as);
      // No form can carry these credentials (say, a ':' in the member id and cookie-unsafe text).
      if (memberAuth === null) throw new MemberRejectedError('credentials_rejected');
      auth = memberAuth;
    }
    const { url, endpoint } = joinApiPath(base, path);
    return deps.transport.send({
      method,
      url: withSearchParams(url, opts.searchParams),
      endpoint,
      headers: { ...restHeaders(t.clientId), ...auth },
      credentials: opts.as ? 'member' : 'api-keys',
      schema,
      json: body,
      signal: opts.signal,
      breakerKey: breakerKeyOf(t.companyId, t.site.apiOrigin),
    });
  }

  return {
    get: (path, schema, opts) => send('GET', path, undefined, schema, opts),
    post: (path, body, schema, opts) => send('POST', path, body, schema, opts),
    put: (path, body, schema, opts) => send('PUT', path, body, schema, opts),
    patch: (path, body, schema, opts) => send('PATCH', path, body, schema, opts),
    apiBase: async () => (await deps.discovery.bases(t.site, t.companyId)).api,
  };
}
