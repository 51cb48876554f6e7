import { Router } from 'express';
import { z } from 'zod';
import { TenantInput, type BoardList, type TenantList } from '../../shared/admin-api.ts';
import { normaliseSite } from '../../shared/connectwise-sites.ts';
import type { ConnectWise } from '../connectwise/connectwise.ts';
import { BlockedAddressError } from '../connectwise/errors/BlockedAddressError.ts';
import { ConnectWiseUnreachableError } from '../connectwise/errors/ConnectWiseUnreachableError.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import type { Logger } from '../logger.ts';
import { tenantConnection } from '../tenant-connection.ts';
import type { Tenant, TenantStore, TenantWrite } from '../tenants/tenant.ts';
import { podPermissions } from '../../shared/pod-permissions.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { runConnectionTest } from './connection-test.ts';
import { Boards } from './cw-schemas.ts';
import { registerPod } from './register-pod.ts';
import { toTenantView } from './tenant-view.ts';
import { fieldError, parseBody, parseCompanyId } from './validation.ts';

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
};

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
    res.json(view(await load(req.params.companyId)));
  });

  router.put('/tenants/:companyId', async (req, res) => {
    const companyId = parseCompanyId(req.params.companyId);
    const input = parseBody(TenantInput, req.body);
    const normalised = normaliseSite(input.site);
    if (!normalised.ok) throw fieldError('site', normalised.message);
    const site = normalised.site;
    try {
      await connectwise.assertSiteAllowed(site);
    } catch (err) {
      if (err instanceof BlockedAddressError) throw fieldError('site', err.message);
      if (err instanceof ConnectWiseUnreachableError && err.reason === 'dns') {
        throw fieldError('site', `${new URL(site.apiOrigin).hostname} does not resolve (DNS). Check the site for typos.`);
      }
      throw err;
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
      // Issue 12: omitted keeps what is stored.
      ...((input.podDisplay ?? existing?.podDisplay) !== undefined ? { podDisplay: input.podDisplay ?? existing?.podDisplay } : {}),
    };
    // A version sent is checked (409 when stale: someone saved in between); none sent means
    // the caller (a script, say) takes the last word, as PUT allows.
    const { tenant, created } = await store.upsert(write, input.version !== undefined ? { expectedVersion: input.version } : {});
    options.logger?.info({ companyId: tenant.companyId, created, version: tenant.version, site: site.uiOrigin }, 'tenant saved');
    res.status(created ? 201 : 200).json(view(tenant));
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
      pending = runConnectionTest(
        {
          connectwise,
          publicUrl: options.publicUrl,
          defaultClientId: options.cwClientId,
          logger: options.logger,
          ...(options.stepTimeoutMs !== undefined ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
        },
        tenant,
      ).then(async (result) => {
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
      { connectwise, publicUrl: options.publicUrl, defaultClientId: options.cwClientId, logger: options.logger },
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
