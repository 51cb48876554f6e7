import type { SolvedResolution } from '../../shared/solved-before.ts';
import type { Note } from '../../shared/ticket-context.ts';
import { normaliseNotes } from '../ticket-context/normalise-notes.ts';

/** What the card shows of a resolution: a few lines, cut at a word. */
export const RESOLUTION_MAX_CHARS = 600;

/** Cuts at the last word boundary before `max` characters and says so. */
export function trimText(text: string, max = RESOLUTION_MAX_CHARS): { text: string; trimmed: boolean } {
  const clean = text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (clean.length <= max) return { text: clean, trimmed: false };
  const cut = clean.slice(0, max);
  const space = cut.search(/\s\S*$/);
  return { text: `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`, trimmed: true };
}

/**
 * The resolution of a closed ticket: the newest note flagged as resolution, else the newest
 * note of any kind (the rule; many MSPs never tick the flag). Notes arrive in any
 * order (allNotes reportedly ignores orderBy), so they are ordered here. Null when the
 * ticket has no note with text.
 */
export function pickResolution(notes: readonly Note[]): SolvedResolution | null {
  const withText = notes.filter((n) => n.text.trim() !== '');
  const newestFirst = normaliseNotes(withText, withText.length).items;
  const flagged = newestFirst.find((n) => n.resolution);
  const note = flagged ?? newestFirst[0];
  if (note === undefined) return null;
  const { text, trimmed } = trimText(note.text);
  return { text, flagged: flagged !== undefined, trimmed, ...(note.author !== undefined ? { author: note.author } : {}) };
}
