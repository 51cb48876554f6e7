import { Router, type RequestHandler } from 'express';
import type { TenantEvents } from '../../shared/admin-events.ts';
import { withEventContext } from '../events/event-context.ts';
import type { EventStore } from '../events/event-store.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import type { TenantStore } from '../tenants/tenant.ts';
import { parseCompanyId } from './validation.ts';

// Mounted at /api/admin: "/tenants/:companyId[/test|/register-pod|…]".
const tenantPath = /^\/tenants\/([^/]{1,300})(?:\/([a-z-]+))?\/?$/;

/**
 * Tags the ConnectWise calls an admin request makes: the connection test (also the one a
 * settings change runs before it is stored) is "test", registration "register", the rest
 * (listing boards) "console".
 */
export function adminEventContext(): RequestHandler {
  return (req, _res, next) => {
    const match = tenantPath.exec(req.path);
    if (match === null) return next();
    let companyId: string;
    try {
      companyId = decodeURIComponent(match[1]!);
    } catch {
      return next();
    }
    const action = match[2];
    const trigger = action === 'test' || (action === undefined && req.method === 'PUT') ? 'test' : action === 'register-pod' ? 'register' : 'console';
    withEventContext({ companyId, trigger }, next);
  };
}

/** GET /tenants/:companyId/events — the events view (shared/admin-events.ts). */
export function eventRoutes(options: { store: TenantStore; events: EventStore }): Router {
  const router = Router();
  router.get('/tenants/:companyId/events', async (req, res) => {
    const companyId = parseCompanyId(req.params.companyId);
    const tenant = await options.store.get(companyId);
    if (tenant === null) throw new ApiError('not_found', `No tenant has the company id "${companyId}".`);
    const events = await options.events.read(tenant.companyId);
    res.json({ ...events, companyId: tenant.companyId } satisfies TenantEvents);
  });
  return router;
}
