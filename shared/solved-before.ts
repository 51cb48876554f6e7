import * as z from 'zod/mini';
import { AnswerMeta, SectionError } from './ticket-context.ts';

/**
 * The answer of `GET /api/pod/:companyId/tickets/:ticketId/solved-before`: the company's
 * resolved tickets most like this one, with how each was resolved (issue 15). The server
 * ranks; the pod only renders. A ConnectWise failure while searching is the `hits` section's
 * error (the card says so), never a failed request: only a refusal of the ticket itself is.
 */

/** The resolution note of a hit: the note flagged as resolution, else the last note. */
export const SolvedResolution = z.object({
  text: z.string(),
  /** False when no note was flagged as resolution and this is the ticket's last note. */
  flagged: z.boolean(),
  /** True when the text was cut to fit the card. */
  trimmed: z.boolean(),
  author: z.optional(z.string()),
});
export type SolvedResolution = z.infer<typeof SolvedResolution>;

export const SolvedTicket = z.object({
  id: z.number(),
  summary: z.string(),
  closedAt: z.optional(z.string()),
  /** Who resolved (or closed) it: ConnectWise's member identifier. */
  resolvedBy: z.optional(z.string()),
  board: z.optional(z.string()),
  /** Why it was picked, in a few words: "same configuration CD-RECEPTION-PRN", "matches: duplex, jam". */
  why: z.array(z.string()),
  /** The resolution, or why it could not be read (the hit still shows). */
  resolution: z.union([
    z.object({ ok: z.literal(true), data: z.nullable(SolvedResolution) }),
    z.object({ ok: z.literal(false), error: SectionError }),
  ]),
});
export type SolvedTicket = z.infer<typeof SolvedTicket>;

export const SolvedBefore = z.object({
  hits: z.union([
    z.object({ ok: z.literal(true), data: z.array(SolvedTicket) }),
    z.object({ ok: z.literal(false), error: SectionError }),
  ]),
  /** How many of the company's closed tickets were compared (the newest, at most 500). */
  searched: z.number(),
  meta: AnswerMeta,
});
export type SolvedBefore = z.infer<typeof SolvedBefore>;
