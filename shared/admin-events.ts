import * as z from 'zod/mini';

/**
 * The events view (issue 11): what the pod server did for one tenant lately, for the admin
 * console. `GET /api/admin/tenants/:companyId/events` → TenantEvents. No secret is ever part
 * of an event: ConnectWise paths are templates (ids replaced), members are identifiers only.
 */

/** What made the server call ConnectWise. */
export const EventTrigger = z.enum([
  /** The pod page was requested for a ticket and its reads started early (warm-up). */
  'page',
  /** A technician's session was verified (and the ticket's reads started). */
  'session',
  /** The pod asked for a ticket's data. */
  'view',
  /** A connection test (also the one a settings change runs before it is stored). */
  'test',
  /** "Register in ConnectWise". */
  'register',
  /** Another admin console request, such as listing the boards. */
  'console',
]);
export type EventTrigger = z.infer<typeof EventTrigger>;

export const ConnectWiseRequestEvent = z.object({
  at: z.string(),
  method: z.string(),
  /** Below the API base, ids replaced: "service/tickets/:id/notes". */
  path: z.string(),
  /** The HTTP status, "ok", or why no status came back (timeout, dns, tls, circuit_open…). */
  status: z.string(),
  ms: z.number(),
  trigger: EventTrigger,
});
export type ConnectWiseRequestEvent = z.infer<typeof ConnectWiseRequestEvent>;

export const PodFailureEvent = z.object({
  at: z.string(),
  /** The error code the pod was answered with (shared/errors.ts), or origin_not_allowed. */
  code: z.string(),
  /** The verified member, or the one the pod claimed when verification itself failed. */
  member: z.nullable(z.string()),
  ticket: z.nullable(z.number()),
});
export type PodFailureEvent = z.infer<typeof PodFailureEvent>;

/** Counts over the last hour. */
export const FunnelCounts = z.object({
  pagesServed: z.number(),
  verified: z.number(),
  contextServed: z.number(),
  /** Pod pages answered with the "address not allowed" notice (Referer not the tenant's). */
  refusedFramings: z.number(),
  /** Framings the browser blocked and reported (CSP violation reports; they never name the address). */
  blockedFramings: z.number(),
});
export type FunnelCounts = z.infer<typeof FunnelCounts>;
export type FunnelStep = keyof FunnelCounts;

export const TenantEvents = z.object({
  companyId: z.string(),
  /** Newest first. */
  requests: z.array(ConnectWiseRequestEvent),
  /** Newest first. */
  failures: z.array(PodFailureEvent),
  lastHour: FunnelCounts,
});
export type TenantEvents = z.infer<typeof TenantEvents>;
