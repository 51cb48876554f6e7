import { z } from 'zod';

/**
 * The parts of ConnectWise's answers the admin features read (connectwise.md §5.3, §5.4).
 * Loose on purpose: unknown fields pass, optional ones may be absent or null, so a newer
 * ConnectWise release does not fail the connection test for a field we never look at.
 */

const reference = z.looseObject({ id: z.number(), name: z.string().nullish(), identifier: z.string().nullish() });

export const SystemInfo = z.looseObject({
  version: z.string().nullish(),
  isCloud: z.boolean().nullish(),
  cloudRegion: z.string().nullish(),
  serverTimeZone: z.string().nullish(),
});

export const MemberRow = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  inactiveFlag: z.boolean().nullish(),
  licenseClass: z.string().nullish(),
  securityRole: reference.nullish(),
  adminFlag: z.boolean().nullish(),
});
export type MemberRow = z.infer<typeof MemberRow>;
export const MemberList = z.array(MemberRow);

/** A row of `system/securityRoles/{id}/settings`; `system/mySecurity` rows add `member`. */
export const RoleSetting = z.looseObject({
  moduleIdentifier: z.string().nullish(),
  moduleName: z.string().nullish(),
  moduleFunctionIdentifier: z.string().nullish(),
  moduleFunctionName: z.string().nullish(),
  addLevel: z.string().nullish(),
  editLevel: z.string().nullish(),
  deleteLevel: z.string().nullish(),
  inquireLevel: z.string().nullish(),
  member: reference.nullish(),
});
export type RoleSetting = z.infer<typeof RoleSetting>;
export const RoleSettings = z.array(RoleSetting);

export const HostedSetup = z.looseObject({
  id: z.number(),
  screenId: z.number().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  type: z.string().nullish(),
  origin: z.string().nullish(),
  podHeight: z.number().nullish(),
  disabledFlag: z.boolean().nullish(),
});
export type HostedSetup = z.infer<typeof HostedSetup>;
export const HostedSetups = z.array(HostedSetup);

/** `system/connectWiseHostedScreens`; one spec types `screenId` as a string, so accept both. */
export const HostedScreen = z.looseObject({
  id: z.number(),
  screenId: z.union([z.number(), z.string()]).nullish(),
  name: z.string().nullish(),
});
export const HostedScreens = z.array(HostedScreen);

/** ConnectWise's report format: column definitions (one key each) and rows of values. */
export const Report = z.looseObject({
  column_definitions: z.array(z.record(z.string(), z.unknown())),
  row_values: z.array(z.array(z.unknown())),
});
export type Report = z.infer<typeof Report>;

export const Board = z.looseObject({
  id: z.number(),
  name: z.string(),
  inactiveFlag: z.boolean().nullish(),
});
export const Boards = z.array(Board);

export const TicketIds = z.array(z.looseObject({ id: z.number() }));

/** Probes only care about the status; the body is not read. */
export const Anything = z.unknown();
