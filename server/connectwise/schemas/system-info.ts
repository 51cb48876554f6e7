import { z } from 'zod';

/** `GET system/info` with the API keys (connection test step 2; docs/connectwise.md §5.3). */
export const SystemInfo = z.looseObject({
  version: z.string().nullish(),
  isCloud: z.boolean().nullish(),
  serverTimeZone: z.string().nullish(),
  licenseBits: z.array(z.unknown()).nullish(),
  cloudRegion: z.string().nullish(),
  maxWorkFlowRecordsAllowed: z.number().nullish(),
});
export type SystemInfo = z.output<typeof SystemInfo>;
