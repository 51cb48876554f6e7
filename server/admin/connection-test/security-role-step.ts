import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { RoleSettings } from '../cw-schemas.ts';
import { apiMemberIdOf, fillMemberFix } from './api-member-step.ts';
import { pathOf, type Step } from './step.ts';

/** The API member's security role can be read (or its rights through system/mySecurity). */
export const securityRoleStep: Step = {
  id: 'security_role',
  async run(ctx, signal) {
    const { api, found } = ctx;
    const m = found.member;
    if (apiMemberIdOf(ctx) === null) {
      return { status: 'skipped', message: 'No API member ID is set; the rights are read through system/mySecurity instead.', fix: fillMemberFix };
    }
    if (m === null) {
      if (found.memberViaMySecurity) return { status: 'ok', message: 'The API member’s rights are read through system/mySecurity.' };
      return { status: 'skipped', message: 'Skipped: the API member was not found.' };
    }
    const roleId = m.securityRole?.id;
    if (roleId === undefined) return { status: 'warning', message: 'The API member has no security role.', fix: 'Give the API member a security role (System › Members › API Members › <member> › Role ID).' };
    const tryRead = async (resource: string) => api.get(`system/${resource}/${roleId}/settings`, RoleSettings, { signal });
    try {
      try {
        found.roleSettings = await tryRead('securityRoles');
      } catch (err) {
        // Whether the path's casing matters is unconfirmed (docs/connectwise.md §7 #12): one retry.
        if (!(err instanceof ConnectWiseHttpError) || err.status !== 404) throw err;
        found.roleSettings = await tryRead('securityroles');
      }
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || (err.status !== 403 && err.status !== 404)) throw err;
      const mine = await ctx.mySecurity(signal);
      const covered = Array.isArray(mine);
      const message =
        err.status === 403
          ? `Forbidden: the role "${m.securityRole?.name ?? roleId}" cannot be read.`
          : `The role "${m.securityRole?.name ?? roleId}" was not found.`;
      return {
        status: covered ? 'warning' : 'failed',
        message: covered ? `${message} The rights were read through system/mySecurity instead.` : message,
        fix: 'Forbidden: give the role System › Security Roles › Inquire = All (' + pathOf('security_roles') + ').',
      };
    }
    return { status: 'ok', message: `Read the role "${m.securityRole?.name ?? roleId}" (${found.roleSettings.length} rows).` };
  },
};
