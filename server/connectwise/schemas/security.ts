import { z } from 'zod';
import { ConnectWiseReference } from './references.ts';

/** "None" | "My" | "All" (not "Mine"); a string so an unexpected level reads as "not All" instead of failing. */
export const SecurityLevel = z.string();

/** One row of `GET system/securityRoles/{id}/settings` (docs/connectwise.md §5.3). */
export const SecurityRoleSetting = z.looseObject({
  id: z.number().nullish(),
  moduleIdentifier: z.string().nullish(),
  moduleName: z.string().nullish(),
  moduleDescription: z.string().nullish(),
  moduleFunctionIdentifier: z.string().nullish(),
  moduleFunctionName: z.string().nullish(),
  moduleFunctionDescription: z.string().nullish(),
  addLevel: SecurityLevel.nullish(),
  editLevel: SecurityLevel.nullish(),
  deleteLevel: SecurityLevel.nullish(),
  inquireLevel: SecurityLevel.nullish(),
  myAllFlag: z.boolean().nullish(),
  reportFlag: z.boolean().nullish(),
  restrictFlag: z.boolean().nullish(),
  customFlag: z.boolean().nullish(),
  sortOrder: z.number().nullish(),
});
export type SecurityRoleSetting = z.output<typeof SecurityRoleSetting>;

export const SecurityRoleSettings = z.array(SecurityRoleSetting);
export type SecurityRoleSettings = z.output<typeof SecurityRoleSettings>;

/** `GET system/mySecurity`: the caller's effective rows, each naming the member (shape UNCONFIRMED beyond that). */
export const MySecurity = z.array(SecurityRoleSetting.extend({ member: ConnectWiseReference.nullish() }));
export type MySecurity = z.output<typeof MySecurity>;
