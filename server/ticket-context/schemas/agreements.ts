import { z } from 'zod';
import { CwIdentifiedRef, CwInfo, CwRef } from './common.ts';

/**
 * `Ticket.agreement`: ConnectWise's AgreementReference, `{id, name, type, _info}`, where `type`
 * is the agreement type's name as text. A surprising `type` reads as absent rather than
 * failing the ticket, which the whole view needs.
 */
export const CwAgreementReference = CwRef.extend({
  type: z.string().nullish().catch(undefined),
});
export type CwAgreementReference = z.infer<typeof CwAgreementReference>;

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
  // Application limits (issue 12); each reads as absent when surprising.
  applicationUnits: z.string().nullish().catch(undefined),
  applicationLimit: z.number().nullish().catch(undefined),
  applicationCycle: z.string().nullish().catch(undefined),
  applicationUnlimitedFlag: z.boolean().nullish().catch(undefined),
  coverAgreementTime: z.boolean().nullish().catch(undefined),
  _info: CwInfo,
});
export type CwAgreement = z.infer<typeof CwAgreement>;
export const CwAgreementList = z.array(CwAgreement);
export type CwAgreementList = z.infer<typeof CwAgreementList>;
