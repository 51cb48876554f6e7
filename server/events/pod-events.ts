import type { Request, RequestHandler, Response } from 'express';
import { TicketId } from '../../shared/pod-api.ts';
import type { ApiError } from '../http/errors/ApiError.ts';
import type { SessionClaims } from '../session/token.ts';
import type { Tenant } from '../tenants/tenant.ts';
import { withEventContext } from './event-context.ts';
import type { EventStore } from './event-store.ts';

// Mounted at /api/pod, so req.path is "/:companyId/session" or "/:companyId/tickets/:id[/…]".
const podPath = /^\/([^/]{1,300})\/(session|tickets)(?:\/(\d{1,10}))?(?:\/|$)/;

/**
 * Tags the ConnectWise calls a pod API request makes with its tenant and trigger: the session
 * route's (verification, and the warm-up it starts) are "session", a ticket's data "view".
 */
export function podEventContext(): RequestHandler {
  return (req, _res, next) => {
    const match = podPath.exec(req.path);
    if (match === null) return next();
    let companyId: string;
    try {
      companyId = decodeURIComponent(match[1]!);
    } catch {
      return next();
    }
    withEventContext({ companyId, trigger: match[2] === 'session' ? 'session' : 'view' }, next);
  };
}

function ticketOf(req: Request): number | null {
  const match = podPath.exec(req.path.replace(/^\/api\/pod/, ''));
  const parsed = TicketId.safeParse(match?.[3] ?? req.query['ticket']);
  return parsed.success ? parsed.data : null;
}

function memberOf(req: Request, res: Response): string | null {
  const session = res.locals.session as SessionClaims | undefined;
  if (session !== undefined) return session.member.identifier;
  // A failed verification has no verified member: the one the pod claimed is what an admin
  // recognises (an identifier, never the hash).
  const claimed = (req.body as { memberid?: unknown } | undefined)?.memberid;
  return typeof claimed === 'string' && claimed.length <= 100 ? claimed : null;
}

/** Records each error a configured tenant's pod was answered with (code, member, ticket). */
export function observePodFailure(events: EventStore): (req: Request, res: Response, error: ApiError) => void {
  return (req, res, error) => {
    if (!req.path.startsWith('/api/pod/')) return;
    const tenant = res.locals.tenant as Tenant | undefined;
    if (tenant === undefined) return;
    events.failure(tenant.companyId, { at: new Date().toISOString(), code: error.code, member: memberOf(req, res), ticket: ticketOf(req) });
  };
}
