import type { TenantApi } from '../connectwise/connectwise.ts';
import { conditionId } from '../ticket-context/conditions.ts';
import { CwServiceNoteList } from '../ticket-context/schemas/notes.ts';
import { CLOSED_TICKET_FIELDS, CwClosedTicketList } from './schemas.ts';

type Read<T> = (api: TenantApi, signal: AbortSignal) => Promise<T>;

/** The newest closed tickets the index holds (issue 15: the last 12 months, 500 at most). */
export const MAX_CANDIDATES = 500;

/** `[2025-12-02T00:00:00Z]`: ConnectWise's datetime literal, to the second. */
const dateLiteral = (ms: number) => `[${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;

/**
 * The candidate list: ONE call, the company's tickets closed since `since`, newest first, at
 * most `MAX_CANDIDATES` rows (one page), trimmed with `fields=` to what ranking and the card
 * need. Read with the tenant's API keys and shared by every member; each member's rights are
 * applied to the hits afterwards (rights.ts).
 */
export function readClosedTickets(companyId: number, since: number, limit = MAX_CANDIDATES): Read<CwClosedTicketList> {
  return (api, signal) =>
    api.get('service/tickets', CwClosedTicketList, {
      searchParams: {
        conditions: `company/id=${conditionId(companyId)} and closedFlag=true and closedDate>=${dateLiteral(since)}`,
        fields: CLOSED_TICKET_FIELDS,
        orderBy: 'closedDate desc',
        pageSize: limit,
      },
      signal,
    });
}

/**
 * The probe's description: `initialDescription` is POST-only, so a ticket's description is
 * its first note flagged `detailDescriptionFlag` (how ConnectWise stores what the ticket was
 * opened with). One row, one field.
 */
export function readDescriptionNote(ticketId: number): Read<CwServiceNoteList> {
  return (api, signal) =>
    api.get(`service/tickets/${conditionId(ticketId)}/notes`, CwServiceNoteList, {
      searchParams: { conditions: 'detailDescriptionFlag=true', fields: 'id,text', orderBy: 'id asc', pageSize: 1 },
      signal,
    });
}
