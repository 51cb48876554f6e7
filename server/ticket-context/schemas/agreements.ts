import { z } from 'zod';
import { CwIdentifiedRef, CwInfo, CwRef } from './common.ts';

/**
 * A row of `GET finance/agreements?conditions=company/id=… and cancelledFlag=false`.
 * `agreementStatus` is "Active" | "Cancelled" | "Expired" | "Inactive" today; kept as text
 * so a new status shows as-is instead of failing the section.
 */
export const CwAgreement = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  type: CwRef.nullish(),
  company: CwIdentifiedRef.nullish(),
  agreementStatus: z.string().nullish(),
  cancelledFlag: z.boolean().nullish(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  noEndingDateFlag: z.boolean().nullish(),
  _info: CwInfo,
});
export type CwAgreement = z.infer<typeof CwAgreement>;
export const CwAgreementList = z.array(CwAgreement);
export type CwAgreementList = z.infer<typeof CwAgreementList>;
