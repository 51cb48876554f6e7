import { z } from 'zod';
import { CwInfo, CwRef } from './common.ts';

/** `GET company/companies/{id}` (docs/connectwise.md §5.1). */
export const CwCompany = z.looseObject({
  id: z.number(),
  identifier: z.string().nullish(),
  name: z.string().nullish(),
  status: CwRef.nullish(),
  types: z.array(CwRef).nullish(),
  site: CwRef.nullish(),
  phoneNumber: z.string().nullish(),
  website: z.string().nullish(),
  territory: CwRef.nullish(),
  defaultContact: CwRef.nullish(),
  addressLine1: z.string().nullish(),
  addressLine2: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  zip: z.string().nullish(),
  /** A reference (`{id, name}`) in the REST model; some emulations send plain text. */
  country: z.union([CwRef, z.string()]).nullish(),
  deletedFlag: z.boolean().nullish(),
  _info: CwInfo,
});
export type CwCompany = z.infer<typeof CwCompany>;
