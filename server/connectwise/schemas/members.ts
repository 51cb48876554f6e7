import { z } from 'zod';
import { ConnectWiseReference } from './references.ts';

/** `GET system/members/{identifier}` or one row of `GET system/members?conditions=…` (docs/connectwise.md §5.3). */
export const Member = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  primaryEmail: z.string().nullish(),
  inactiveFlag: z.boolean().nullish(),
  /** A | C | F | X; kept as a string so a new class does not break the connection test. */
  licenseClass: z.string().nullish(),
  securityRole: ConnectWiseReference.nullish(),
  adminFlag: z.boolean().nullish(),
  defaultLocation: ConnectWiseReference.nullish(),
  defaultDepartment: ConnectWiseReference.nullish(),
});
export type Member = z.output<typeof Member>;

export const MemberList = z.array(Member);
export type MemberList = z.output<typeof MemberList>;
