import { z } from 'zod';
import { ConnectWiseReference } from './references.ts';

/**
 * `GET system/myMembers/info`: who the credentials belong to (docs/connectwise.md §3.4). The
 * identifier and name live on in the verification cache and the session token, so they have
 * length limits (issue 10 item 4).
 */
export const MyMemberInfo = z.looseObject({
  id: z.number().nullish(),
  identifier: z.string().min(1).max(100),
  firstName: z.string().max(200).nullish(),
  lastName: z.string().max(200).nullish(),
  fullName: z.string().max(200).nullish(),
  defaultEmail: z.string().nullish(),
  inactiveFlag: z.boolean().nullish(),
  licenseClass: z.string().nullish(),
  timeZone: z.unknown().optional(),
  defaultLocation: ConnectWiseReference.nullish(),
  defaultDepartment: ConnectWiseReference.nullish(),
  serviceDefaultBoard: ConnectWiseReference.nullish(),
  /**
   * The service boards hidden from this member (the Member model's field; a .NET client of
   * this endpoint requires it, so ConnectWise likely sends it: UNCONFIRMED). Absent, null or
   * malformed reads as "not told", never as "no board hidden".
   */
  excludedServiceBoardIds: z.array(z.number().int()).max(10_000).nullish().catch(null),
});
export type MyMemberInfo = z.output<typeof MyMemberInfo>;
