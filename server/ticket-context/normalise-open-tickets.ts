import type { OpenTicket } from '../../shared/ticket-context.ts';
import type { CwTicketListItem } from './schemas/ticket.ts';
import { present } from './normalise-common.ts';

/** How many of the company's other open tickets the context lists. */
export const OTHER_OPEN_TICKETS_LIMIT = 25;

/**
 * The company's open tickets minus the one on screen, newest (highest id) first, capped.
 * Closed rows are dropped too, in case a `fields=` trim or a race let one through.
 */
export function normaliseOtherOpenTickets(
  tickets: readonly CwTicketListItem[],
  currentTicketId: number,
  limit = OTHER_OPEN_TICKETS_LIMIT,
): OpenTicket[] {
  return tickets
    .filter((t) => t.id !== currentTicketId && t.closedFlag !== true)
    .sort((a, b) => b.id - a.id)
    .slice(0, limit)
    .map((t) => ({
      id: t.id,
      summary: t.summary ?? '',
      status: present(t.status?.name),
      board: present(t.board?.name),
      priority: present(t.priority?.name),
      enteredAt: present(t._info?.dateEntered),
      prioritySort: t.priority?.sort ?? undefined,
      slaStatus: present(t.slaStatus),
      isInSla: t.isInSla ?? undefined,
    }));
}
