import * as z from 'zod/mini';
import { ApiErrorBody, type FieldIssue } from '../../shared/errors.ts';
import {
  BoardList,
  ConnectionTestFailedBody,
  ConnectionTestResult,
  CsrfToken,
  RegisterPodResult,
  TenantList,
  TenantView,
  type TenantInput,
} from '../../shared/admin-api.ts';
import { TenantEvents } from '../../shared/admin-events.ts';

/**
 * The console's client for the admin API. It signs in with the admin token once; after that
 * an httpOnly session cookie authenticates, and every state-changing request carries the CSRF
 * token the sign-in returned. Every answer is parsed with the shared schemas.
 */

export class AdminApiError extends Error {
  override name = 'AdminApiError';
  readonly status: number;
  readonly code: string;
  readonly fields: FieldIssue[];
  /** With `connection_test_failed`: the test the new settings failed (nothing was stored). */
  readonly test: ConnectionTestResult | null;
  constructor(status: number, code: string, message: string, fields: FieldIssue[] = [], test: ConnectionTestResult | null = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.test = test;
  }
}

let csrfToken: string | null = null;

async function call<S extends z.ZodMiniType>(method: string, path: string, schema: S | null, body?: unknown): Promise<z.infer<S>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/admin${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new AdminApiError(0, 'network', 'The pod server did not answer. Check that it is running, then retry.');
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = ApiErrorBody.safeParse(json);
    if (err.success) {
      const failedTest = err.data.error.code === 'connection_test_failed' ? ConnectionTestFailedBody.safeParse(json) : null;
      throw new AdminApiError(res.status, err.data.error.code, err.data.error.message, err.data.error.fields ?? [], failedTest?.success ? failedTest.data.error.test : null);
    }
    throw new AdminApiError(res.status, 'unexpected', `The server answered ${res.status} without an explanation.`);
  }
  if (schema === null) return undefined as z.infer<S>;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AdminApiError(res.status, 'unexpected', 'The server answered in an unexpected shape. Reload the console.');
  return parsed.data as z.infer<S>;
}

const path = (companyId: string) => `/tenants/${encodeURIComponent(companyId)}`;

export const adminApi = {
  async signIn(token: string): Promise<void> {
    csrfToken = (await call('POST', '/session', CsrfToken, { token })).csrfToken;
  },
  /** Resumes an existing console session (the cookie survives a reload; the CSRF token does not). */
  async resume(): Promise<boolean> {
    try {
      csrfToken = (await call('GET', '/session', CsrfToken)).csrfToken;
      return true;
    } catch {
      return false;
    }
  },
  async signOut(): Promise<void> {
    await call('DELETE', '/session', null).catch(() => undefined);
    csrfToken = null;
  },
  listTenants: () => call('GET', '/tenants', TenantList),
  getTenant: (companyId: string) => call('GET', path(companyId), TenantView),
  /** `force`: store settings even when they fail the connection test ("Save anyway"). */
  saveTenant: (companyId: string, input: TenantInput, options: { force?: boolean } = {}) =>
    call('PUT', `${path(companyId)}${options.force ? '?force=true' : ''}`, TenantView, input),
  deleteTenant: (companyId: string) => call('DELETE', path(companyId), null),
  testTenant: (companyId: string) => call('POST', `${path(companyId)}/test`, ConnectionTestResult),
  registerPod: (companyId: string) => call('POST', `${path(companyId)}/register-pod`, RegisterPodResult),
  boards: (companyId: string) => call('GET', `${path(companyId)}/boards`, BoardList),
  events: (companyId: string) => call('GET', `${path(companyId)}/events`, TenantEvents),
};
