export type MemberRejectedReason =
  /** The pod claimed a different company than the tenant it was opened for. */
  | 'company_mismatch'
  /** ConnectWise refused the memberHash in every form (forged, expired or revoked). */
  | 'credentials_rejected'
  /** ConnectWise accepted the credentials, but they belong to another member. */
  | 'member_mismatch';

const messages: Record<MemberRejectedReason, string> = {
  company_mismatch: 'The ConnectWise company signed in is not the company this pod belongs to.',
  credentials_rejected: 'ConnectWise did not accept the member credentials (signed out, expired or not genuine).',
  member_mismatch: 'ConnectWise identified a different member than the one claimed.',
};

/** The member could not be proven. Carries a reason code, never the credentials. */
export class MemberRejectedError extends Error {
  override name = 'MemberRejectedError';
  readonly reason: MemberRejectedReason;

  constructor(reason: MemberRejectedReason) {
    super(messages[reason]);
    this.reason = reason;
  }
}
