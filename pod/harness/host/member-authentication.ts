import type { HostMode } from '../../../shared/pod-api.ts';
import type { MemberAuthenticationInput } from '../../../shared/member-authentication.ts';

export type HarnessMember = {
  identifier: string;
  name: string;
  email?: string;
  memberHash: string;
  memberContext: string;
};

/** The version folder ConnectWise reports; its real format is unconfirmed (docs/connectwise.md §1.5). */
export const DEFAULT_CODE_BASE = 'v4_6_release/';

/**
 * Which data the member's ConnectWise sends: `complete`, or `nulls` as for a member without
 * SSO or e-mail (ConnectWise's client passes `null` through: docs/connectwise.md §8).
 */
export const memberDataKinds = ['complete', 'nulls'] as const;
export type MemberDataKind = (typeof memberDataKinds)[number];

/**
 * The `data` of ConnectWise's `getmemberauthentication` response for one member. Nilear
 * leaves out `codeBase` (docs/connectwise.md §1.6), so the harness does too in Nilear mode.
 */
export function memberAuthenticationData(input: {
  member: HarnessMember;
  companyId: string;
  site: string;
  mode: HostMode;
  codeBase?: string;
  kind?: MemberDataKind;
}): MemberAuthenticationInput {
  const { member } = input;
  const data: MemberAuthenticationInput = {
    site: input.site,
    companyid: input.companyId,
    memberid: member.identifier,
    memberHash: member.memberHash,
    memberContext: member.memberContext,
    memberEmail: member.email ?? `${member.identifier}@example.com`,
  };
  if (input.mode === 'connectwise') data.codeBase = input.codeBase ?? DEFAULT_CODE_BASE;
  if (input.kind === 'nulls') {
    data.memberEmail = null;
    data.ssoAccessToken = null;
    data.ssoIdToken = null;
  }
  return data;
}
