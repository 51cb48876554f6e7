import { z } from 'zod';
import { MySecurity, SecurityRoleSetting } from '../connectwise/schemas/security.ts';
import { ConnectWiseReference } from '../connectwise/schemas/references.ts';

/**
 * The ConnectWise answers the admin features read (docs/connectwise.md §5.3, §5.4), under the
 * names the admin code uses. The schemas themselves live once, with the ConnectWise client
 * (server/connectwise/schemas/); only what nothing else reads is defined here.
 */

export { SystemInfo } from '../connectwise/schemas/system-info.ts';
export { Member as MemberRow, MemberList } from '../connectwise/schemas/members.ts';
export {
  ConnectWiseHostedSetup as HostedSetup,
  ConnectWiseHostedSetupList as HostedSetups,
  ConnectWiseHostedScreenList as HostedScreens,
  ConnectWiseReport as Report,
} from '../connectwise/schemas/hosted.ts';

/** A row of `system/securityRoles/{id}/settings` or of `system/mySecurity` (which adds `member`). */
export const RoleSetting = SecurityRoleSetting.extend({ member: ConnectWiseReference.nullish() });
export type RoleSetting = z.infer<typeof RoleSetting>;
export const RoleSettings = MySecurity;

export const Board = z.looseObject({
  id: z.number(),
  name: z.string(),
  inactiveFlag: z.boolean().nullish(),
});
export const Boards = z.array(Board);

export const TicketIds = z.array(z.looseObject({ id: z.number() }));

/** Probes only care about the status; the body is not read. */
export const Anything = z.unknown();
