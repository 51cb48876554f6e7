import { z } from 'zod';
import { CwIdentifiedRef, CwInfo, CwRef } from './common.ts';

/** `GET service/tickets/{id}/notes`: ticket notes only (docs/connectwise.md §5.1). */
export const CwServiceNote = z.looseObject({
  id: z.number(),
  ticketId: z.number().nullish(),
  text: z.string().nullish(),
  detailDescriptionFlag: z.boolean().nullish(),
  internalAnalysisFlag: z.boolean().nullish(),
  resolutionFlag: z.boolean().nullish(),
  internalFlag: z.boolean().nullish(),
  externalFlag: z.boolean().nullish(),
  member: CwIdentifiedRef.nullish(),
  contact: CwRef.nullish(),
  dateCreated: z.string().nullish(),
  createdBy: z.string().nullish(),
  _info: CwInfo,
});
export type CwServiceNote = z.infer<typeof CwServiceNote>;
export const CwServiceNoteList = z.array(CwServiceNote);
export type CwServiceNoteList = z.infer<typeof CwServiceNoteList>;

/**
 * `GET service/tickets/{id}/allNotes`: ticket, time-entry and meeting notes in one list.
 * Unknown `noteType` values read as absent (treated as ticket notes) rather than failing.
 */
export const CwServiceTicketNote = z.looseObject({
  id: z.number(),
  noteType: z.enum(['TicketNote', 'TimeEntryNote', 'MeetingNote']).nullish().catch(undefined),
  ticket: CwRef.nullish(),
  text: z.string().nullish(),
  isMarkdownFlag: z.boolean().nullish(),
  detailDescriptionFlag: z.boolean().nullish(),
  internalAnalysisFlag: z.boolean().nullish(),
  resolutionFlag: z.boolean().nullish(),
  internalFlag: z.boolean().nullish(),
  externalFlag: z.boolean().nullish(),
  timeStart: z.string().nullish(),
  timeEnd: z.string().nullish(),
  originalAuthor: z.string().nullish(),
  member: CwIdentifiedRef.nullish(),
  contact: CwRef.nullish(),
  dateCreated: z.string().nullish(),
  _info: CwInfo,
});
export type CwServiceTicketNote = z.infer<typeof CwServiceTicketNote>;
export const CwServiceTicketNoteList = z.array(CwServiceTicketNote);
export type CwServiceTicketNoteList = z.infer<typeof CwServiceTicketNoteList>;
