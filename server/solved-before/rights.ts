import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import { ApiError } from '../http/errors/ApiError.ts';

/**
 * What a member may see of the company's solved tickets: the same rules as the rest of the
 * pod (issue 15 §3), as a value the caller builds from whatever knows the member's rights.
 *
 * - `grants`: the member's role grants service tickets and their notes (a hit is a ticket
 *   and its resolution note); without both the card is refused.
 * - `tenantBoards`: the boards the tenant enabled for the pod (empty: every board).
 * - `mayRead`: may this member read this ticket? Today the per-ticket member read the
 *   ticket route already uses (loader.memberAccess: ConnectWise decides, board and "My"
 *   level included); once the member-rights model (i10-rights) gives a visible-board
 *   predicate, a synchronous answer costs no call.
 */
export type SolvedBeforeRights = {
  grants: { serviceTickets: boolean; notes: boolean };
  tenantBoards: readonly number[];
  mayRead: (ticket: { id: number; boardId: number | null }) => boolean | Promise<boolean>;
  /**
   * Read the hits' resolution notes with these (the member's) credentials rather than the API
   * keys: when the member's notes right is "My" or could not be learned, as the Notes card does.
   */
  resolutionsAs?: MemberAuthentication;
};

/** Throws ticket_forbidden when the member's role lacks tickets or notes. */
export function assertGrants(rights: SolvedBeforeRights): void {
  if (!rights.grants.serviceTickets || !rights.grants.notes) {
    const missing = [!rights.grants.serviceTickets && 'Service Tickets', !rights.grants.notes && 'ticket notes'].filter(Boolean).join(' and ');
    throw new ApiError('ticket_forbidden', `Your ConnectWise role does not include ${missing}, so similar solved tickets cannot be shown.`);
  }
}

/**
 * The first `limit` of `ranked` (best first) the member may see. Tickets on boards the tenant
 * did not enable go first, for free; the rest are checked `limit` at a time, in parallel, in
 * rank order, until `limit` pass or `maxChecks` were asked (so a member who may see few of
 * the company's boards costs a bounded number of checks).
 */
export async function visibleHits<T extends { id: number; boardId: number | null }>(
  ranked: readonly T[],
  rights: SolvedBeforeRights,
  limit: number,
  maxChecks = limit * 3,
): Promise<T[]> {
  assertGrants(rights);
  const allowedBoards = rights.tenantBoards;
  const pool = ranked.filter((t) => allowedBoards.length === 0 || (t.boardId !== null && allowedBoards.includes(t.boardId)));
  const kept: T[] = [];
  let checked = 0;
  while (kept.length < limit && checked < pool.length && checked < maxChecks) {
    const batch = pool.slice(checked, Math.min(checked + (limit - kept.length), pool.length, maxChecks));
    checked += batch.length;
    const answers = await Promise.all(batch.map((t) => rights.mayRead(t)));
    batch.forEach((t, i) => {
      if (answers[i] === true) kept.push(t);
    });
  }
  return kept.slice(0, limit);
}
