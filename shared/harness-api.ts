import * as z from 'zod/mini';

/**
 * The simulated ConnectWise's control surface: the fault rules the harness and end-to-end
 * tests inject (POST /__sim/faults) and the payload of GET /__sim/harness-config, which the
 * developer harness front end parses before it plays ConnectWise around the pod.
 */

/**
 * Which requests a rule applies to. `path` is matched case-insensitively against the END of
 * the request path, `*` matching any run of characters: "service/tickets/*" matches
 * "/v4_6_release/apis/3.0/service/tickets/7/notes". Absent: every simulated ConnectWise request.
 * `count`: how many matching requests the rule affects before it expires; absent: until cleared.
 */
const matchFields = {
  path: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
  method: z.optional(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])),
  count: z.optional(z.int().check(z.minimum(1), z.maximum(1_000_000))),
};

export const FaultRule = z.discriminatedUnion('kind', [
  /** Adds delay before the answer; combines with any other matching rule. */
  z.object({ kind: z.literal('latency'), ms: z.int().check(z.minimum(0), z.maximum(120_000)), ...matchFields }),
  /** 429 with a Retry-After header in seconds, as ConnectWise throttles. */
  z.object({ kind: z.literal('rate-limit'), retryAfterSeconds: z.optional(z.int().check(z.minimum(0), z.maximum(3600))), ...matchFields }),
  z.object({ kind: z.literal('server-error'), status: z.union([z.literal(500), z.literal(502), z.literal(503)]), ...matchFields }),
  /** Never answers: the request hangs until the caller aborts it (or the rule is cleared). */
  z.object({ kind: z.literal('timeout'), ...matchFields }),
  /** 200 text/html login page instead of JSON, as a proxy or an expired SSO session gives. */
  z.object({ kind: z.literal('html-login'), ...matchFields }),
  /** 200 application/json whose body is not JSON. */
  z.object({ kind: z.literal('malformed-json'), ...matchFields }),
  /** 200 application/json with the real body cut in half. */
  z.object({ kind: z.literal('truncated-json'), ...matchFields }),
  /** The connection is reset with no answer. */
  z.object({ kind: z.literal('reset'), ...matchFields }),
  // Issue 14: shapes ConnectWise's 2025.8 OpenAPI allows that clients most easily refuse.
  /** The real answer with the id of every reference inside a record set to null (NullableInt32). */
  z.object({ kind: z.literal('null-references'), ...matchFields }),
  /** The real answer; an error body keeps only its `code` (the OpenAPI makes `message` optional). */
  z.object({ kind: z.literal('code-only-errors'), ...matchFields }),
  /** 404 as ConnectWise answers for an endpoint its version does not have. */
  z.object({ kind: z.literal('missing-endpoint'), ...matchFields }),
]);
export type FaultRule = z.infer<typeof FaultRule>;
export type FaultKind = FaultRule['kind'];

/** Body of POST /__sim/faults: one rule or a list (the list replaces nothing; rules add up). */
export const FaultRuleInput = z.union([FaultRule, z.array(FaultRule).check(z.maxLength(100))]);
export type FaultRuleInput = z.infer<typeof FaultRuleInput>;

export const FaultPreset = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  rules: z.array(FaultRule),
});
export type FaultPreset = z.infer<typeof FaultPreset>;

/** One entry of the simulator's request log (GET /__sim/calls). Never holds a secret. */
export const SimCall = z.object({
  method: z.string(),
  host: z.string(),
  path: z.string(),
  search: z.string(),
  auth: z.enum(['api', 'member-cookie', 'member-basic', 'none']),
  /** HTTP status answered; 0 when the connection was reset or the request hung until aborted. */
  status: z.int(),
  /** Name of the fault that shaped the answer, if any. */
  fault: z.nullable(z.string()),
  at: z.string(),
});
export type SimCall = z.infer<typeof SimCall>;

export const SimCallList = z.object({ calls: z.array(SimCall) });
export type SimCallList = z.infer<typeof SimCallList>;

export const HarnessInstance = z.object({
  companyId: z.string(),
  companyName: z.string(),
  /** The ConnectWise UI origin as a tenant would be configured; null for the any-host demo instance, which lives at the simulator's origin. */
  uiOrigin: z.nullable(z.string()),
  apiOrigin: z.nullable(z.string()),
  isCloud: z.boolean(),
  codebase: z.string(),
});
export type HarnessInstance = z.infer<typeof HarnessInstance>;

/**
 * A member the harness can sign in as. These are the simulator's made-up demo credentials,
 * shown to developers on purpose; `valid: false` marks a forged hash ConnectWise would reject.
 */
export const HarnessMember = z.object({
  companyId: z.string(),
  identifier: z.string(),
  name: z.string(),
  email: z.string(),
  memberHash: z.string(),
  memberContext: z.string(),
  valid: z.boolean(),
  inactive: z.boolean(),
  /** What this member demonstrates, e.g. "sees one board only". */
  note: z.string(),
});
export type HarnessMember = z.infer<typeof HarnessMember>;

export const HarnessTicket = z.object({
  companyId: z.string(),
  id: z.int(),
  summary: z.string(),
  boardId: z.int(),
  boardName: z.string(),
  companyName: z.string(),
  closed: z.boolean(),
  /** Issue 12: the ticket's status and priority names, so the harness panel agrees with the pod. */
  statusName: z.optional(z.string()),
  priorityName: z.optional(z.string()),
});
export type HarnessTicket = z.infer<typeof HarnessTicket>;

export const HarnessConfig = z.object({
  /** Origin of the simulator itself: the ConnectWise "UI" the pod is framed by in the harness. */
  simulatorOrigin: z.string(),
  podOrigin: z.string(),
  /** `${podOrigin}/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]` */
  defaultPodUrl: z.string(),
  defaultCompanyId: z.string(),
  codebase: z.string(),
  nilearOrigin: z.nullable(z.string()),
  instances: z.array(HarnessInstance),
  members: z.array(HarnessMember),
  tickets: z.array(HarnessTicket),
  faultPresets: z.array(FaultPreset),
});
export type HarnessConfig = z.infer<typeof HarnessConfig>;
