import * as z from 'zod/mini';
import { PodDisplay } from './pod-display.ts';

/**
 * The pod's own HTTP API (same origin as the pod page):
 *
 *   POST /api/pod/:companyId/session              body MemberAuthentication → PodSession
 *   GET  /api/pod/:companyId/tickets/:ticketId          (Bearer) → TicketContext
 *   GET  /api/pod/:companyId/tickets/:ticketId/summary  (Bearer) → TicketSummary
 *   GET  /api/pod/:companyId/tickets/:ticketId/agreements  (Bearer) → TicketAgreements
 *   GET  /api/pod/:companyId/tickets/:ticketId/solved-before  (Bearer) → SolvedBefore (shared/solved-before.ts)
 *
 * `?fresh=1` on any of the GETs bypasses the server's short-lived caches (the refresh control).
 * Errors are ApiErrorBody (shared/errors.ts) with a PodErrorCode.
 */

export const MAX_TICKET_ID = 2_147_483_647; // ConnectWise record ids are 32-bit signed ints

/** A ConnectWise company id as it appears in the pod URL and the admin API. */
export const CompanyId = z.string().check(
  z.minLength(1),
  z.maxLength(100),
  z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a ConnectWise company id has letters, digits, "_", "." or "-"'),
);

/** A ticket id from a path or a message: a positive 32-bit integer, as number or digits. */
export const TicketId = z.pipe(
  z.union([z.number(), z.string().check(z.regex(/^\d{1,10}$/, 'a ticket id is digits only'))]),
  z.transform((v) => Number(v)),
).check(
  z.refine((n) => Number.isSafeInteger(n) && n >= 1 && n <= MAX_TICKET_ID, 'a ticket id is between 1 and 2147483647'),
);

export const PodMember = z.object({
  identifier: z.string(),
  name: z.string(),
});
export type PodMember = z.infer<typeof PodMember>;

export const PodSession = z.object({
  /** Sent as `Authorization: Bearer <token>`; held in pod memory only, never a cookie. */
  token: z.string(),
  /** ISO 8601; at most 15 minutes ahead. The pod renews before this. */
  expiresAt: z.string(),
  member: PodMember,
});
export type PodSession = z.infer<typeof PodSession>;

/** Which host frames the pod: ConnectWise PSA itself, or Nilear MTX (`?nilear=true`). */
export const HostMode = z.enum(['connectwise', 'nilear']);
export type HostMode = z.infer<typeof HostMode>;

/**
 * The tenant's public pod settings. The server writes them into the pod page as
 * `<script type="application/json" id="pod-config">` (data, not code: CSP stays
 * `script-src 'self'`), and the pod parses them with this schema before using them.
 */
export const PodConfig = z.object({
  companyId: CompanyId,
  /**
   * Exact origins allowed to talk to the pod: the tenant's ConnectWise UI origin (and its
   * Nilear origin in Nilear mode), then its extra origins (up to 10, issue 11).
   */
  expectedOrigins: z.array(z.string().check(z.maxLength(300))).check(z.minLength(1), z.maxLength(12)),
  mode: HostMode,
  /** Base of this tenant's pod API, e.g. "/api/pod/acme". */
  apiBase: z.string(),
  /** Only in demo mode: where the developer harness is, for the "opened outside ConnectWise" page. */
  harnessUrl: z.optional(z.string()),
  /** Issue 12: the tenant's display settings (colour scheme, configuration link templates). */
  display: z.optional(PodDisplay),
});
export type PodConfig = z.infer<typeof PodConfig>;
