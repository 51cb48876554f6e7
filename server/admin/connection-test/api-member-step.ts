import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { conditionString } from '../../ticket-context/conditions.ts';
import { MemberList, type MemberRow, type RoleSetting } from '../cw-schemas.ts';
import { pathOf, type Step, type StepContext } from './step.ts';

const memberName = (m: MemberRow) => [m.firstName, m.lastName].filter(Boolean).join(' ') || m.identifier;

const callerIdentifier = (rows: RoleSetting[]) => rows.find((r) => r.member?.identifier)?.member?.identifier ?? null;

/** The tenant's API member ID, trimmed; null when none is set. */
export const apiMemberIdOf = (ctx: StepContext): string | null => ctx.tenant.apiMemberId?.trim() || null;

export const fillMemberFix =
  'Fill in the API member’s Member ID in this tenant’s settings (System › Members › API Members, the "Member ID" column), then run the test again.';

/** The API member is found and active — or, when members cannot be listed, the keys are its own. */
export const apiMemberStep: Step = {
  id: 'api_member',
  async run(ctx, signal) {
    const { api, found } = ctx;
    const apiMemberId = apiMemberIdOf(ctx);
    if (apiMemberId === null) {
      return { status: 'skipped', message: 'No API member ID is set, so the member and its role were not looked up.', fix: fillMemberFix };
    }
    let rows: MemberRow[];
    try {
      rows = await api.get('system/members', MemberList, {
        signal,
        searchParams: { conditions: `identifier=${conditionString(apiMemberId)}`, pageSize: '5' },
      });
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || err.status !== 403) throw err;
      // The role may not list members; the keys' own identity still tells us who they are.
      const mine = await ctx.mySecurity(signal);
      const identifier = Array.isArray(mine) ? callerIdentifier(mine) : null;
      if (identifier !== null && identifier.toLowerCase() === apiMemberId.toLowerCase()) {
        found.memberViaMySecurity = true;
        return { status: 'ok', message: `The API keys belong to "${identifier}" (read through system/mySecurity; the role may not list members, which the pod does not need).` };
      }
      if (identifier !== null) {
        return {
          status: 'failed',
          message: `The API keys belong to "${identifier}", not to "${apiMemberId}".`,
          fix: `Enter "${identifier}" as the API member ID, or enter the keys of "${apiMemberId}".`,
        };
      }
      return {
        status: 'warning',
        message: 'The API member could not be looked up: Forbidden.',
        fix: `Give the role ${pathOf('member_maintenance')} (optional: the test then checks the member too).`,
      };
    }
    const member = rows.find((m) => m.identifier.toLowerCase() === apiMemberId.toLowerCase());
    if (member === undefined) {
      return {
        status: 'failed',
        message: `API member not found: no member has the ID "${apiMemberId}". The member ID must match exactly.`,
        fix: 'Copy the Member ID from System › Members › API Members in ConnectWise into this tenant’s API member ID field.',
      };
    }
    found.member = member;
    if (member.inactiveFlag) {
      return {
        status: 'failed',
        message: `The API member "${member.identifier}" is inactive.`,
        fix: `Reactivate it in System › Members › API Members › ${member.identifier} (clear "Inactive"), or create a new API member.`,
      };
    }
    const role = member.securityRole?.name ? `, role "${member.securityRole.name}"` : '';
    return { status: 'ok', message: `API member "${member.identifier}" found (${memberName(member)}${role}).` };
  },
};
