import { z } from 'zod';
import { CwAgreementReference } from './agreements.ts';
import { CwIdentifiedRef, CwInfo, CwRef, CwTextOrNumber } from './common.ts';

/** `priority` is a reference with a sort order and a level (docs/connectwise.md §5.2). */
export const CwPriorityRef = z.looseObject({
  id: z.number().nullish(),
  name: z.string().nullish(),
  sort: z.number().nullish(),
  level: CwTextOrNumber,
  color: z.string().nullish(),
});

/** `GET service/tickets/{id}`: the fields the pod shows (docs/connectwise.md §5.2). */
export const CwTicket = z.looseObject({
  id: z.number(),
  summary: z.string().nullish(),
  recordType: z.string().nullish(),
  board: CwRef.nullish(),
  status: CwRef.nullish(),
  priority: CwPriorityRef.nullish(),
  type: CwRef.nullish(),
  subType: CwRef.nullish(),
  item: CwRef.nullish(),
  company: CwIdentifiedRef.nullish(),
  site: CwRef.nullish(),
  siteName: z.string().nullish(),
  contact: CwRef.nullish(),
  contactName: z.string().nullish(),
  contactPhoneNumber: z.string().nullish(),
  contactPhoneExtension: z.string().nullish(),
  contactEmailAddress: z.string().nullish(),
  owner: CwIdentifiedRef.nullish(),
  /** Member identifiers as ONE comma-separated string, e.g. "jdoe, asmith". */
  resources: z.string().nullish(),
  team: CwRef.nullish(),
  source: CwRef.nullish(),
  severity: z.string().nullish(),
  impact: z.string().nullish(),
  agreement: CwAgreementReference.nullish(),
  closedFlag: z.boolean().nullish(),
  closedDate: z.string().nullish(),
  closedBy: z.string().nullish(),
  requiredDate: z.string().nullish(),
  dateResolved: z.string().nullish(),
  dateResponded: z.string().nullish(),
  dateResplan: z.string().nullish(),
  sla: CwRef.nullish(),
  slaStatus: z.string().nullish(),
  isInSla: z.boolean().nullish(),
  escalationLevel: z.number().nullish(),
  budgetHours: z.number().nullish(),
  actualHours: z.number().nullish(),
  initialDescription: z.string().nullish(),
  billTime: z.string().nullish().catch(undefined),
  _info: CwInfo,
});
export type CwTicket = z.infer<typeof CwTicket>;

/** A row of `GET service/tickets?fields=…` (the company's other open tickets). */
export const CwTicketListItem = z.looseObject({
  id: z.number(),
  summary: z.string().nullish(),
  status: CwRef.nullish(),
  board: CwRef.nullish(),
  priority: CwPriorityRef.nullish(),
  closedFlag: z.boolean().nullish(),
  slaStatus: z.string().nullish().catch(undefined),
  isInSla: z.boolean().nullish().catch(undefined),
  _info: CwInfo,
});
export type CwTicketListItem = z.infer<typeof CwTicketListItem>;
export const CwTicketList = z.array(CwTicketListItem);
export type CwTicketList = z.infer<typeof CwTicketList>;
