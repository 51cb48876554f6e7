import { z } from 'zod';
import { CwTextOrNumber } from './common.ts';

/**
 * Setup tables read once per tenant (docs/connectwise.md §8, ConnectWise's 2025.8 OpenAPI):
 * `service/priorities` and `company/companies/statuses`. Only the fields the pod uses.
 */

export const CwPriority = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  /** A CSS colour as ConnectWise stores it; whether it is hex or a name is UNCONFIRMED (both accepted). */
  color: z.string().nullish(),
  sortOrder: z.number().nullish(),
  level: CwTextOrNumber,
});
export type CwPriority = z.infer<typeof CwPriority>;
export const CwPriorityList = z.array(CwPriority);

export const CwCompanyStatus = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  inactiveFlag: z.boolean().nullish(),
  notifyFlag: z.boolean().nullish(),
  disallowSavingFlag: z.boolean().nullish(),
  notificationMessage: z.string().nullish(),
});
export type CwCompanyStatus = z.infer<typeof CwCompanyStatus>;
export const CwCompanyStatusList = z.array(CwCompanyStatus);
