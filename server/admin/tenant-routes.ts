import { Router } from 'express';
import { z } from 'zod';
import { TenantInput, type BoardList, type ConnectionTestResult, type TenantList } from '../../shared/admin-api.ts';
import { normaliseSite } from '../../shared/connectwise-sites.ts';
import type { ConnectWise } from '../connectwise/connectwise.ts';
import { BlockedAddressError } from '../connectwise/errors/BlockedAddressError.ts';
import { ConnectWiseUnreachableError } from '../connectwise/errors/ConnectWiseUnreachableError.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import type { Logger } from '../logger.ts';
import { tenantConnection } from '../tenant-connection.ts';
import { TenantWrite, type Tenant, type TenantStore } from '../tenants/tenant.ts';
import { podPermissions } from '../../shared/pod-permissions.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { runConnectionTest, type ConnectionTestDeps } from './connection-test.ts';
import { assertKeysForNewSite, connectionChanges } from './test-before-replace.ts';
import { stepWords } from '../../shared/connection-test-steps.ts';
import { VersionConflictError } from '../tenants/errors/VersionConflictError.ts';
import { Boards } from './cw-schemas.ts';
import { registerPod } from './register-pod.ts';
import { toTenantView } from './tenant-view.ts';
import { fieldError, parseBody, parseCompanyId } from './validation.ts';
import type { RefusedOriginLog } from '../events/refused-origins.ts';
import { expectedOrigins } from '../framing/host-origins.ts';

const DeleteQuery = z.looseObject({
  version: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .transform(Number)
    .optional(),
});

export type TenantRoutesOptions = {
  store: TenantStore;
  connectwise: ConnectWise;
  publicUrl: string;
  cwClientId?: string | undefined;
  logger?: Logger | undefined;
  stepTimeoutMs?: number | undefined;
  /** Lets register-pod register an http PUBLIC_URL (ALLOW_PRIVATE_NETWORK or demo mode). */
  allowInsecureOrigin?: boolean | undefined;
  /** Issue 11: addresses refused as pod hosts, shown by GET /tenants/:companyId. */
  refusedOrigins?: RefusedOriginLog | undefined;
};

const PutQuery = z.looseObject({ force: z.enum(['true', 'false']).optional() });

/** The settings a PUT would store, as a tenant the connection test can run on. */
function candidate(write: TenantWrite, existing: Tenant | null): Tenant {
  const now = new Date().toISOString();
  return { ...TenantWrite.parse(write), createdAt: existing?.createdAt ?? now, updatedAt: now, version: existing?.version ?? 0, lastTest: null };
}

/** 422 connection_test_failed: the step that failed, in words, and the whole result. */
function testFailed(test: ConnectionTestResult): ApiError {
  const failed = test.steps.find((st) => st.status === 'failed');
  const where = failed ? ` at “${stepWords[failed.id].label}”: ${failed.message}` : '.';
  return new ApiError(
    'connection_test_failed',
    `Not saved: the new settings failed the connection test${where} The pod keeps working with the saved settings. To save them anyway, send the request again with ?force=true.`,
    { details: { test } },
  );
}

const clientIdPattern = /^[0-9a-fA-F-]{8,64}$/;

/** "" and whitespace mean "none". */
const blankToNull = (v: string | null | undefined): string | null | undefined =>
  v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim();

export function tenantRoutes(options: TenantRoutesOptions): Router {
  const { store, connectwise } = options;
  const router = Router();
  const view = (t: Tenant) => toTenantView(t, { publicUrl: options.publicUrl, cwClientId: options.cwClientId });
  /** Connection tests in flight, per tenant: a double click runs one test, not two. */
  const running = new Map<string, Promise<unknown>>();

  const testDeps = (scope: 'full' | 'blocking'): ConnectionTestDeps => ({
    connectwise,
    publicUrl: options.publicUrl,
    defaultClientId: options.cwClientId,
    logger: options.logger,
    scope,
    ...(options.stepTimeoutMs !== undefined ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
  });

  async function load(raw: unknown): Promise<Tenant> {
    const companyId = parseCompanyId(raw);
    const tenant = await store.get(companyId);
    if (tenant === null) throw new ApiError('not_found', `No tenant has the company id "${companyId}".`);
    return tenant;
  }

  router.get('/tenants', async (_req, res) => {
    const tenants = await store.list();
    res.json({ tenants: tenants.map(view) } satisfies TenantList);
  });

  router.get('/tenants/:companyId', async (req, res) => {
    const tenant = await load(req.params.companyId);
    // An address allowed since it was refused is no longer news.
    const allowed = new Set(expectedOrigins(tenant, true));
    const refused = (await options.refusedOrigins?.list(tenant.companyId)) ?? [];
    res.json({ ...view(tenant), refusedOrigins: refused.filter((r) => !allowed.has(r.origin)) });
  });

  router.put('/tenants/:companyId', async (req, res) => {
    const companyId = parseCompanyId(req.params.companyId);
    const query = PutQuery.safeParse(req.query);
    if (!query.success) throw fieldError('force', 'true or false');
    const force = query.data.force === 'true';
    const input = parseBody(TenantInput, req.body);
    const normalised = normaliseSite(input.site);
    if (!normalised.ok) throw fieldError('site', normalised.message);
    const site = normalised.site;
    try {
      await connectwise.assertSiteAllowed(site);
    } catch (err) {
      if (err instanceof BlockedAddressError) throw fieldError('site', err.message);
      // A name that does not resolve from here may still be right (the server's own network
      // may be the cause): the connection test below says so, and "Save anyway" can keep it.
      if (!(err instanceof ConnectWiseUnreachableError && err.reason === 'dns')) throw err;
    }
    // Keys are trimmed before they are stored, so one of only spaces is no key at all.
    for (const key of ['publicKey', 'privateKey'] as const) {
      if (input[key] !== undefined && input[key].trim() === '') {
        throw fieldError(key, `the ${key === 'publicKey' ? 'public' : 'private'} key is empty; paste it from the API member's keys`);
      }
    }
    const clientId = blankToNull(input.clientId);
    if (clientId && !clientIdPattern.test(clientId)) {
      throw fieldError('clientId', 'a clientId is the GUID from developer.connectwise.com, e.g. 6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4');
    }
    const existing = await store.get(companyId);
    if (existing === null) {
      const missing = (['publicKey', 'privateKey'] as const).filter((k) => input[k] === undefined);
      if (missing.length > 0) {
        throw new ApiError('validation_failed', `${missing.join(' and ')} required when adding a tenant.`, {
          fields: missing.map((path) => ({ path, message: `the ${path === 'publicKey' ? 'public' : 'private'} key is required when adding a tenant` })),
        });
      }
    } else {
      assertKeysForNewSite(existing, site, input);
    }
    // A stale version is refused before the test runs, not after (the store checks again).
    if (input.version !== undefined && input.version !== (existing?.version ?? 0)) {
      throw new VersionConflictError(existing?.companyId ?? companyId, input.version, existing?.version ?? null);
    }
    const apiMemberId = blankToNull(input.apiMemberId);
    const write: TenantWrite = {
      companyId: existing?.companyId ?? companyId,
      siteInput: input.site.trim(),
      site,
      publicKey: input.publicKey?.trim() ?? existing?.publicKey ?? '',
      privateKey: input.privateKey?.trim() ?? existing?.privateKey ?? '',
      clientId: clientId === undefined ? (existing?.clientId ?? null) : clientId,
      apiMemberId: apiMemberId === undefined ? (existing?.apiMemberId ?? null) : apiMemberId,
      nilearOrigin: input.nilearOrigin === undefined ? (existing?.nilearOrigin ?? null) : input.nilearOrigin,
      boardIds: input.boardIds === undefined ? (existing?.boardIds ?? []) : [...new Set(input.boardIds)],
      sectionAccess: input.sectionAccess ?? existing?.sectionAccess ?? 'technician',
      extraOrigins: input.extraOrigins === undefined ? (existing?.extraOrigins ?? []) : [...new Set(input.extraOrigins)],
      // Issue 12: omitted keeps what is stored.
      ...((input.podDisplay ?? existing?.podDisplay) !== undefined ? { podDisplay: input.podDisplay ?? existing?.podDisplay } : {}),
    };
    // Test before replace (issue 11): new connection settings must pass the blocking steps
    // before they replace working ones. A new tenant has nothing to break: stored either way.
    const changed = existing === null ? null : connectionChanges(existing, write);
    let test: ConnectionTestResult | null = null;
    if (changed === null || changed.length > 0) {
      test = await runConnectionTest(testDeps('blocking'), candidate(write, existing));
      options.logger?.info(
        { companyId: write.companyId, ok: test.ok, force, changed, steps: test.steps.map((st) => `${st.id}:${st.status}`).join(' ') },
        'connection settings tested before saving',
      );
      if (!test.ok && existing !== null && !force) throw testFailed(test);
    }
    // A version sent is checked (409 when stale: someone saved in between); none sent means
    // the caller (a script, say) takes the last word, as PUT allows.
    const { tenant, created } = await store.upsert(write, input.version !== undefined ? { expectedVersion: input.version } : {});
    if (test !== null) await store.saveTestResult(tenant.companyId, test);
    options.logger?.info({ companyId: tenant.companyId, created, forced: force && test?.ok === false, version: tenant.version, site: site.uiOrigin }, 'tenant saved');
    res.status(created ? 201 : 200).json(view(test !== null ? { ...tenant, lastTest: test } : tenant));
  });

  router.delete('/tenants/:companyId', async (req, res) => {
    const companyId = parseCompanyId(req.params.companyId);
    const query = DeleteQuery.safeParse(req.query);
    if (!query.success) throw fieldError('version', 'a positive whole number');
    const expectedVersion = query.data.version;
    const deleted = await store.delete(companyId, expectedVersion === undefined ? {} : { expectedVersion });
    if (!deleted) throw new ApiError('not_found', `No tenant has the company id "${companyId}".`);
    options.logger?.info({ companyId }, 'tenant deleted');
    res.status(204).end();
  });

  router.post('/tenants/:companyId/test', async (req, res) => {
    const tenant = await load(req.params.companyId);
    const key = tenant.companyId.toLowerCase();
    let pending = running.get(key) as ReturnType<typeof runConnectionTest> | undefined;
    if (pending === undefined) {
      pending = runConnectionTest(testDeps('full'), tenant).then(async (result) => {
        await store.saveTestResult(tenant.companyId, result);
        options.logger?.info(
          { companyId: tenant.companyId, ok: result.ok, steps: result.steps.map((s) => `${s.id}:${s.status}`).join(' ') },
          'connection test ran',
        );
        return result;
      });
      running.set(key, pending);
      void pending.finally(() => running.delete(key)).catch(() => undefined);
    }
    res.json(await pending);
  });

  router.post('/tenants/:companyId/register-pod', async (req, res) => {
    const tenant = await load(req.params.companyId);
    const result = await registerPod(
      {
        connectwise,
        publicUrl: options.publicUrl,
        defaultClientId: options.cwClientId,
        logger: options.logger,
        allowInsecureOrigin: options.allowInsecureOrigin === true,
      },
      tenant,
    );
    res.json(result);
  });

  router.get('/tenants/:companyId/boards', async (req, res) => {
    const tenant = await load(req.params.companyId);
    const api = connectwise.api(tenantConnection(tenant, options.cwClientId));
    try {
      const boards = await api.get('service/boards', Boards, {
        searchParams: { fields: 'id,name,inactiveFlag', pageSize: '1000', orderBy: 'name asc' },
        signal: AbortSignal.timeout(15_000),
      });
      res.json({ boards: boards.map((b) => ({ id: b.id, name: b.name, inactive: b.inactiveFlag === true })) } satisfies BoardList);
    } catch (err) {
      if (err instanceof ConnectWiseHttpError && err.status === 403) {
        const path = podPermissions.find((p) => p.id === 'table_setup')?.uiPath ?? 'System › Table Setup';
        throw new ApiError('forbidden', `ConnectWise would not list the service boards (403 Forbidden). Give the API member's role ${path}.`, { cause: err });
      }
      throw err;
    }
  });

  return router;
}
