import { z } from 'zod';
import { CwIdentifiedRef, CwInfo, CwRef } from './common.ts';

/**
 * A row of `GET time/entries?conditions=chargeToId=… and chargeToType="ServiceTicket"`.
 * (`service/tickets/{id}/timeentries` answers TimeEntryReference, only `{id, _info}`.)
 * `billableOption` stays a plain string: only "Billable" matters to the summary, and a new
 * option must not fail the section.
 */
export const CwTimeEntry = z.looseObject({
  id: z.number().nullish(),
  chargeToId: z.number().nullish(),
  chargeToType: z.string().nullish(),
  member: CwIdentifiedRef.nullish(),
  timeStart: z.string().nullish(),
  timeEnd: z.string().nullish(),
  actualHours: z.number().nullish(),
  hoursBilled: z.number().nullish(),
  billableOption: z.string().nullish(),
  notes: z.string().nullish(),
  workType: CwRef.nullish(),
  workRole: CwRef.nullish(),
  dateEntered: z.string().nullish(),
  _info: CwInfo,
});
export type CwTimeEntry = z.infer<typeof CwTimeEntry>;
export const CwTimeEntryList = z.array(CwTimeEntry);
export type CwTimeEntryList = z.infer<typeof CwTimeEntryList>;
