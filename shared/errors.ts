import * as z from 'zod/mini';

/**
 * The pod API's closed set of error codes. The pod has one explanation per code, so a new
 * code is a change to the pod's states as well as to the server.
 */
export const podErrorCodes = [
  'not_configured',
  'member_unverified',
  'session_expired',
  'ticket_not_found',
  'ticket_forbidden',
  'board_not_enabled',
  'connectwise_unreachable',
  'connectwise_rejected_keys',
  'rate_limited',
  'bad_request',
] as const;
export const PodErrorCode = z.enum(podErrorCodes);
export type PodErrorCode = z.infer<typeof PodErrorCode>;

/** Codes only the admin API and infrastructure routes use. */
export const adminErrorCodes = [
  'unauthorized',
  'forbidden',
  'validation_failed',
  'not_found',
  'version_conflict',
  /** A change of connection settings failed the connection test; nothing was stored (issue 11). */
  'connection_test_failed',
  'payload_too_large',
  'internal_error',
  /** The database cannot be reached (issue 13): retry shortly; /readyz says the same. */
  'service_unavailable',
] as const;

export const ApiErrorCode = z.enum([...podErrorCodes, ...adminErrorCodes]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** One problem with one field of a request body or query, as `path: message`. */
export const FieldIssue = z.object({
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** Every error any route answers: `{"error":{"code","message"}}`, plus details when useful. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: ApiErrorCode,
    message: z.string(),
    /** Seconds until a retry may succeed (rate limits, ConnectWise 429, open circuit). */
    retryAfter: z.optional(z.number()),
    /** For ConnectWise failures: the failure kind (server/connectwise/errors/classify-failure.ts). */
    failure: z.optional(z.string().check(z.maxLength(40))),
    /** Validation problems, one per field. */
    fields: z.optional(z.array(FieldIssue)),
    /** The request id, to quote when reporting a problem. */
    requestId: z.optional(z.string()),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** The HTTP status each code is answered with. */
export const statusForErrorCode: Record<ApiErrorCode, number> = {
  not_configured: 404,
  member_unverified: 401,
  session_expired: 401,
  ticket_not_found: 404,
  ticket_forbidden: 403,
  board_not_enabled: 403,
  connectwise_unreachable: 502,
  connectwise_rejected_keys: 502,
  rate_limited: 429,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  validation_failed: 422,
  not_found: 404,
  version_conflict: 409,
  connection_test_failed: 422,
  payload_too_large: 413,
  internal_error: 500,
  service_unavailable: 503,
};
