import { z } from 'zod';

/** `system/connectwisehostedsetups` rows: the "Manage Hosted API" setup table (docs/connectwise.md §5.4). */
export const ConnectWiseHostedSetup = z.looseObject({
  id: z.number(),
  screenId: z.number().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  type: z.string().nullish(),
  origin: z.string().nullish(),
  podHeight: z.number().nullish(),
  clientId: z.string().nullish(),
  disabledFlag: z.boolean().nullish(),
  locationsEnabledFlag: z.boolean().nullish(),
  locationIds: z.array(z.number()).nullish(),
  createdBy: z.string().nullish(),
  dateCreated: z.string().nullish(),
  _info: z.record(z.string(), z.unknown()).nullish(),
});
export type ConnectWiseHostedSetup = z.output<typeof ConnectWiseHostedSetup>;

export const ConnectWiseHostedSetupList = z.array(ConnectWiseHostedSetup);

/** What a POST to `system/connectwisehostedsetups` sends (required fields per §5.4). */
export const ConnectWiseHostedSetupInput = z.object({
  screenId: z.number().int(),
  description: z.string().min(1).max(50),
  url: z.string().min(1).max(1024),
  type: z.enum(['Tab', 'Pod', 'ToolbarButton']),
  origin: z.string().max(100).optional(),
  podHeight: z.number().int().positive().optional(),
  clientId: z.string().max(36).optional(),
});
export type ConnectWiseHostedSetupInput = z.infer<typeof ConnectWiseHostedSetupInput>;

/**
 * `GET system/connectWiseHostedScreens`: `{id, screenId, name}`; look up "ServiceTicket" by
 * name. One spec types `screenId` as a string, so accept both.
 */
export const ConnectWiseHostedScreen = z.looseObject({
  id: z.number(),
  screenId: z.union([z.number(), z.string()]).nullish(),
  name: z.string().nullish(),
});
export const ConnectWiseHostedScreenList = z.array(ConnectWiseHostedScreen);
export type ConnectWiseHostedScreen = z.output<typeof ConnectWiseHostedScreen>;

/** `GET system/reports/ConnectWiseHostedApiScreen`: a report, columns plus row arrays (shape per django-connectwise). */
export const ConnectWiseReport = z.looseObject({
  column_definitions: z.array(z.record(z.string(), z.unknown())),
  row_values: z.array(z.array(z.unknown())),
});
export type ConnectWiseReport = z.output<typeof ConnectWiseReport>;
