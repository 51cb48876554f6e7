import * as z from 'zod/mini';

/**
 * `null` reads as absent: ConnectWise's own client passes `data` through untouched, and sends
 * `null` for a member without SSO or e-mail (docs/connectwise.md §8).
 */
function optionalText(maxLength: number) {
  return z.optional(
    z.pipe(
      z.nullable(z.string().check(z.maxLength(maxLength))),
      z.transform((value: string | null) => value ?? undefined),
    ),
  );
}

/**
 * Fields the pod and the server never act on: any value that cannot be used (wrong type, too
 * long) reads as absent instead of refusing the whole answer, so a change in a field we
 * only display or ignore cannot stop a technician signing in.
 */
function informationalText(maxLength: number) {
  return z.optional(
    z.catch(
      z.pipe(
        z.nullable(z.string().check(z.maxLength(maxLength))),
        z.transform((value: string | null) => value ?? undefined),
      ),
      undefined,
    ),
  );
}

/**
 * The `data` of ConnectWise's `getmemberauthentication` response, which the pod forwards to
 * POST /api/pod/:companyId/session. Exact key case matters: `companyid` and `memberid` are
 * lower-case, `memberHash` and `memberContext` camel-case. Caps follow the hardened
 * TicketWise fork.
 *
 * Only what verification needs is required (`companyid`, `memberid`, `memberHash`);
 * `memberContext` is a credential, so it is checked when present but `null` is absent; the
 * rest is informational. Keys ConnectWise adds later are ignored (dropped, so they never
 * travel to our server).
 */
export const MemberAuthentication = z.object({
  /** The ConnectWise URL the member is on. Informational only: never used for routing. */
  site: informationalText(2048),
  companyid: z.string().check(z.minLength(1), z.maxLength(100)),
  memberid: z.string().check(z.minLength(1), z.maxLength(100)),
  memberHash: z.string().check(z.minLength(1), z.maxLength(2048)),
  /** Required by ConnectWise's cookie check; absent under some hosts, so optional here. */
  memberContext: optionalText(4096),
  memberEmail: informationalText(320),
  /** Sent by ConnectWise ("v4_6_release/" or similar), absent under Nilear. */
  codeBase: informationalText(100),
  /** Present in recent builds; meaning unconfirmed. Accepted, ignored, never logged. */
  ssoAccessToken: informationalText(16384),
  ssoIdToken: informationalText(16384),
});
export type MemberAuthentication = z.output<typeof MemberAuthentication>;
/** What ConnectWise may send: `null` allowed wherever a field is optional. */
export type MemberAuthenticationInput = z.input<typeof MemberAuthentication>;
