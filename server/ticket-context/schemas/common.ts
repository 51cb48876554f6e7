import { z } from 'zod';

/**
 * Building blocks shared by the ConnectWise response schemas. ConnectWise omits or nulls
 * nearly any field (and `fields=` trims the rest), so everything but the id a record is
 * fetched by is nullish; objects are loose because ConnectWise adds fields over time.
 */

/** `{id, name}`: boards, statuses, types, teams, sources, agreements… */
export const CwRef = z.looseObject({
  id: z.number().nullish(),
  name: z.string().nullish(),
});
export type CwRef = z.infer<typeof CwRef>;

/** Members and companies also carry an identifier. */
export const CwIdentifiedRef = z.looseObject({
  id: z.number().nullish(),
  identifier: z.string().nullish(),
  name: z.string().nullish(),
});
export type CwIdentifiedRef = z.infer<typeof CwIdentifiedRef>;

/**
 * `_info` is ConnectWise's metadata bag (entry/update stamps, hrefs). Its contents vary by
 * version and record, and it is display-only, so a surprising `_info` reads as absent
 * rather than failing the whole record.
 */
export const CwInfo = z
  .looseObject({
    dateEntered: z.string().nullish().catch(undefined),
    enteredBy: z.string().nullish().catch(undefined),
    lastUpdated: z.string().nullish().catch(undefined),
    updatedBy: z.string().nullish().catch(undefined),
  })
  .nullish()
  .catch(undefined);
export type CwInfo = z.infer<typeof CwInfo>;

/** Some numeric-looking codes (priority levels) arrive as text on one version, numbers on another. */
export const CwTextOrNumber = z.union([z.string(), z.number()]).nullish();
