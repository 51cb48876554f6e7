import { z } from 'zod';
import { CwIdentifiedRef, CwRef } from '../ticket-context/schemas/common.ts';

/**
 * A row of the candidate query (`GET service/tickets?fields=…`, docs/connectwise.md §5.1): only what ranking and the
 * card need. `initialDescription` is documented as POST-only ("will not be returned in the
 * response", ConnectWise 2025.8 OpenAPI, Ticket model; docs/connectwise.md §5.2), so it is not asked for; it is read if
 * a ConnectWise version ever sends it (UNCONFIRMED either way, §7 #25).
 */
export const CwClosedTicket = z.looseObject({
  id: z.number(),
  summary: z.string().nullish(),
  initialDescription: z.string().nullish().catch(undefined),
  board: CwRef.nullish(),
  company: CwIdentifiedRef.nullish(),
  type: CwRef.nullish(),
  subType: CwRef.nullish(),
  item: CwRef.nullish(),
  closedDate: z.string().nullish(),
  closedBy: z.string().nullish(),
  resolvedBy: z.string().nullish(),
});
export type CwClosedTicket = z.infer<typeof CwClosedTicket>;
export const CwClosedTicketList = z.array(CwClosedTicket);
export type CwClosedTicketList = z.infer<typeof CwClosedTicketList>;

/** The fields the candidate query asks for: the row above, nothing else. */
export const CLOSED_TICKET_FIELDS = 'id,summary,board,company,type,subType,item,closedDate,closedBy,resolvedBy';
