import type { RequestHandler } from 'express';
import { CompanyId } from '../../../shared/pod-api.ts';
import type { TenantStore } from '../../tenants/tenant.ts';
import { ApiError } from '../../http/errors/ApiError.ts';

/** Resolves `:companyId` to a configured tenant (res.locals.tenant), or answers not_configured. */
export function loadTenant(store: TenantStore): RequestHandler {
  return async (req, res, next) => {
    try {
      const parsed = CompanyId.safeParse(req.params.companyId);
      const tenant = parsed.success ? await store.get(parsed.data) : null;
      if (tenant === null) {
        throw new ApiError('not_configured', 'This ConnectWise company is not set up for the pod. An admin adds it in the pod admin console.');
      }
      res.locals.tenant = tenant;
      next();
    } catch (err) {
      next(err);
    }
  };
}
