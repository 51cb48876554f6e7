import type { RequestHandler } from 'express';
import type { TenantConnection } from '../../connectwise/connectwise.ts';
import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { MemberRejectedError } from '../../connectwise/errors/MemberRejectedError.ts';
import { ApiError } from '../../http/errors/ApiError.ts';
import type { SolvedBeforeRights } from '../../solved-before/rights.ts';
import type { SolvedBeforeService } from '../../solved-before/solved-before.ts';
import type { LoadOptions } from '../../ticket-context/loader.ts';
import { TicketForbiddenError } from '../../ticket-context/errors/TicketForbiddenError.ts';
import { TicketNotFoundError } from '../../ticket-context/errors/TicketNotFoundError.ts';
import { ticketRoute, type TicketReader, type TicketRouteDeps } from './ticket-route.ts';

export type SolvedBeforeRouteDeps = TicketRouteDeps & { solvedBefore: SolvedBeforeService };

const boardNotEnabled = () =>
  new ApiError('board_not_enabled', "This ticket's board is not enabled for the pod. An admin can enable it in the pod admin console.");

/**
 * The member's rights over the hits, by the rules the rest of the pod applies (issue 10's
 * Viewer): the notes section's grant (none: the card is refused; My or unknown: resolutions
 * are read with the member's own credentials, as the Notes card reads them), the boards
 * ConnectWise hides from the member and the tenant's allowlist (no call), then ConnectWise's
 * own answer to the member reading each remaining hit (the ticket route's check, cached 30 s
 * per member and ticket; it also covers a "My" level on service tickets).
 */
function rightsOf(deps: SolvedBeforeRouteDeps, connection: TenantConnection, reader: TicketReader, opts: LoadOptions): SolvedBeforeRights {
  const viewer = opts.viewer;
  const notes = viewer === undefined || viewer.sectionAccess === 'apiMember' ? 'all' : viewer.rights.sections.notes.access;
  const hidden = viewer?.rights.excludedBoardIds ?? [];
  const signal = opts.signal;
  return {
    grants: { serviceTickets: true, notes: notes !== 'none' },
    tenantBoards: reader.tenant.boardIds,
    ...(notes === 'all' ? {} : { resolutionsAs: reader.session.credentials }),
    mayRead: (hit) => {
      if (hit.boardId !== null && hidden.includes(hit.boardId)) return false;
      return deps.loader.memberAccess(connection, reader.session.credentials, hit.id, signal !== undefined ? { signal } : {}).then(
        (access) => reader.tenant.boardIds.length === 0 || (access.boardId !== null && reader.tenant.boardIds.includes(access.boardId)),
        (err: unknown) => {
          if (err instanceof TicketForbiddenError || err instanceof TicketNotFoundError) return false;
          // The member's credentials went stale mid-search: the pod renews its session, as on any route.
          if ((err instanceof ConnectWiseHttpError && err.status === 401 && err.credentials === 'member') || err instanceof MemberRejectedError) {
            throw new ApiError('session_expired', 'ConnectWise no longer accepts this session; the pod signs in again.', { cause: err });
          }
          throw err;
        },
      );
    },
  };
}

/**
 * GET /api/pod/:companyId/tickets/:ticketId/solved-before — the company's resolved tickets
 * most like this one, asked for from the Solved before card. Guarded like the context (the
 * member's own read of the ticket, the tenant's boards); the search starts only once that
 * read says yes (it joins the route's own check in flight), so a refused member costs no
 * candidate query.
 */
export const ticketSolvedBefore = (deps: SolvedBeforeRouteDeps): RequestHandler =>
  ticketRoute(deps, async (connection, ticketId, opts, reader) => {
    const access = await deps.loader.memberAccess(connection, reader.session.credentials, ticketId, opts.signal !== undefined ? { signal: opts.signal } : {});
    const boards = reader.tenant.boardIds;
    if (boards.length > 0 && (access.boardId === null || !boards.includes(access.boardId))) throw boardNotEnabled();
    return deps.solvedBefore.find(connection, ticketId, rightsOf(deps, connection, reader, opts), opts);
  });
