import type { Note, Notes } from '../../shared/ticket-context.ts';
import type { CwServiceNote, CwServiceTicketNote } from './schemas/notes.ts';
import { newestFirst, present } from './normalise-common.ts';

/** How many notes the context carries; `total` still counts them all. */
export const NOTES_LIMIT = 10;

const kinds = { TicketNote: 'ticket', TimeEntryNote: 'time', MeetingNote: 'meeting' } as const;

function author(note: CwServiceNote | CwServiceTicketNote): string | undefined {
  return present(note.member?.name) ?? present(note.contact?.name) ?? present(note.member?.identifier);
}

/**
 * Internal/external visibility. The explicit flags win when ConnectWise sends them;
 * otherwise an "Internal Analysis" note is internal and a discussion or resolution note
 * is the customer-facing kind.
 */
function visibility(note: CwServiceNote | CwServiceTicketNote): { internal: boolean; external: boolean } {
  const internal = note.internalFlag ?? note.internalAnalysisFlag ?? false;
  const external = note.externalFlag ?? ((note.detailDescriptionFlag ?? false) || (note.resolutionFlag ?? false));
  return { internal, external };
}

/** One row of `service/tickets/{id}/notes`. */
export function normaliseServiceNote(note: CwServiceNote): Note {
  return {
    id: note.id,
    kind: 'ticket',
    text: note.text ?? '',
    ...visibility(note),
    resolution: note.resolutionFlag ?? false,
    detailDescription: note.detailDescriptionFlag ?? false,
    internalAnalysis: note.internalAnalysisFlag ?? false,
    author: author(note) ?? present(note.createdBy),
    createdAt: present(note.dateCreated) ?? present(note._info?.dateEntered),
  };
}

/** One row of `service/tickets/{id}/allNotes` (ticket, time-entry and meeting notes). */
export function normaliseTicketNote(note: CwServiceTicketNote): Note {
  return {
    id: note.id,
    kind: note.noteType ? kinds[note.noteType] : 'ticket',
    text: note.text ?? '',
    ...visibility(note),
    resolution: note.resolutionFlag ?? false,
    detailDescription: note.detailDescriptionFlag ?? false,
    internalAnalysis: note.internalAnalysisFlag ?? false,
    author: author(note) ?? present(note.originalAuthor),
    createdAt: present(note.dateCreated) ?? present(note.timeStart) ?? present(note._info?.dateEntered),
  };
}

/**
 * Newest first, at most `limit`. The order is ours: `allNotes` reportedly ignores
 * `orderBy` (docs/connectwise.md §5.1), so ConnectWise's order is not trusted.
 */
export function normaliseNotes(notes: readonly Note[], limit = NOTES_LIMIT): Notes {
  const sorted = newestFirst([...notes], (n) => n.createdAt);
  return { items: sorted.slice(0, limit), total: notes.length, limit };
}
