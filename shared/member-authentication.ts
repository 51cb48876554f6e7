import * as z from 'zod/mini';

/**
 * The `data` of ConnectWise's `getmemberauthentication` response, which the pod forwards to
 * POST /api/pod/:companyId/session. Exact key case matters: `companyid` and `memberid` are
 * lower-case, `memberHash` and `memberContext` camel-case. Caps follow the hardened
 * TicketWise fork; unknown extra keys are tolerated (ConnectWise adds fields over time).
 */
export const MemberAuthentication = z.looseObject({
  /** The ConnectWise URL the member is on. Informational only: never used for routing. */
  site: z.optional(z.string().check(z.maxLength(2048))),
  companyid: z.string().check(z.minLength(1), z.maxLength(100)),
  memberid: z.string().check(z.minLength(1), z.maxLength(100)),
  memberHash: z.string().check(z.minLength(1), z.maxLength(2048)),
  /** Required by ConnectWise's cookie check; absent under some hosts, so optional here. */
  memberContext: z.optional(z.string().check(z.maxLength(4096))),
  memberEmail: z.optional(z.string().check(z.maxLength(320))),
  /** Sent by ConnectWise ("v4_6_release/" or similar), absent under Nilear. */
  codeBase: z.optional(z.string().check(z.maxLength(100))),
  /** Present in recent builds; meaning unconfirmed. Accepted, ignored, never logged. */
  ssoAccessToken: z.optional(z.string().check(z.maxLength(16384))),
  ssoIdToken: z.optional(z.string().check(z.maxLength(16384))),
});
export type MemberAuthentication = z.infer<typeof MemberAuthentication>;
