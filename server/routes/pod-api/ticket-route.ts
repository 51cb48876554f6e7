import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { TicketId } from '../../../shared/pod-api.ts';
import type { TenantConnection } from '../../connectwise/connectwise.ts';
import type { Tenant } from '../../tenants/tenant.ts';
import type { SessionClaims } from '../../session/token.ts';
import type { LoadOptions, TicketContextLoader } from '../../ticket-context/loader.ts';
import { ApiError } from '../../http/errors/ApiError.ts';
import { tenantConnection } from '../../tenant-connection.ts';
import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { MemberRejectedError } from '../../connectwise/errors/MemberRejectedError.ts';

const TicketQuery = z.looseObject({
  fresh: z.enum(['1', 'true', '0', 'false'], { error: 'fresh must be 1 or 0' }).optional(),
});

export type TicketRouteDeps = {
  loader: TicketContextLoader;
  defaultClientId: string | undefined;
  onServed?: (tenant: Tenant) => void;
};

/** Who asks: for reads that apply the member's rights to what they return (solved-before). */
export type TicketReader = { session: SessionClaims; tenant: Tenant };

/** Reads the data a route answers with, once the request is parsed. */
export type TicketRead = (connection: TenantConnection, ticketId: number, opts: LoadOptions, reader: TicketReader) => Promise<unknown>;

/** Cancels upstream waits when the pod goes away (the technician switched tickets). */
function abortOnClose(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client closed the request'));
  });
  req.on('aborted', () => controller.abort(new Error('client aborted the request')));
  return controller.signal;
}

/**
 * ConnectWise refusing the member's credentials on a data request means the memberHash in the
 * session has gone stale (signed out and in, expired): the pod should fetch fresh credentials
 * from ConnectWise and renew silently, so this is session_expired, not member_unverified. If
 * the member really is gone, the renewal's own verification says so.
 */
function accessError(err: unknown): unknown {
  const staleCredentials =
    (err instanceof ConnectWiseHttpError && err.status === 401 && err.credentials === 'member') ||
    (err instanceof MemberRejectedError && err.reason === 'credentials_rejected');
  return staleCredentials
    ? new ApiError('session_expired', 'ConnectWise no longer accepts this session; the pod signs in again.', { cause: err })
    : err;
}

function parseRequest(req: Request) {
  const id = TicketId.safeParse(req.params.ticketId);
  if (!id.success) throw new ApiError('bad_request', 'The ticket id must be a whole number between 1 and 2147483647.');
  const query = TicketQuery.safeParse(req.query);
  if (!query.success) throw new ApiError('bad_request', query.error.issues.map((i) => i.message).join('; '));
  return { ticketId: id.data, fresh: query.data.fresh === '1' || query.data.fresh === 'true' };
}

/**
 * GET /api/pod/:companyId/tickets/:ticketId[/…] — the data is read with the tenant's API
 * keys, but only after ConnectWise confirms that this member can read this ticket (checked
 * as the member, in parallel with the data fetch so it costs no extra round trip), and that
 * the ticket's board is enabled for the pod. The answer holds only what the member's own
 * rights allow (issue 10: sections their role grants, lists within their boards; see
 * ticket-context/loader.ts Viewer). Every route under a ticket goes through here, so none can
 * answer on a weaker check.
 */
export function ticketRoute(deps: TicketRouteDeps, read: TicketRead, onServed?: (tenant: Tenant) => void): RequestHandler {
  return async (req, res, next) => {
    try {
      const { ticketId, fresh } = parseRequest(req);
      const tenant = res.locals.tenant as Tenant;
      const session = res.locals.session as SessionClaims;
      const signal = abortOnClose(req, res);
      const connection = tenantConnection(tenant, deps.defaultClientId);

      // Started first: the read below can use the member's ticket read as its own.
      const access = deps.loader.memberAccess(connection, session.credentials, ticketId, { fresh, signal });
      // The member's own rights (cached for the session) decide what the answer may hold.
      const viewer = deps.loader.viewerOf(connection, { credentials: session.credentials, identifier: session.member.identifier }, tenant);
      const data = viewer.then((v) => read(connection, ticketId, { fresh, signal, viewer: v }, { session, tenant }));
      const [allowed, loaded] = await Promise.allSettled([access, data]);

      // Access decides first: a forbidden ticket answers 403 even when the data came back.
      if (allowed.status === 'rejected') throw accessError(allowed.reason);
      const boardId = allowed.value.boardId;
      if (tenant.boardIds.length > 0 && (boardId === null || !tenant.boardIds.includes(boardId))) {
        throw new ApiError('board_not_enabled', "This ticket's board is not enabled for the pod. An admin can enable it in the pod admin console.");
      }
      if (loaded.status === 'rejected') throw accessError(loaded.reason);
      onServed?.(tenant);
      res.setHeader('Cache-Control', 'no-store');
      res.json(loaded.value);
    } catch (err) {
      next(err);
    }
  };
}
