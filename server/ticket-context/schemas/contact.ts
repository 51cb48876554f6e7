import { z } from 'zod';
import { CwIdentifiedRef, CwInfo, CwRef } from './common.ts';

/**
 * One of a contact's phone numbers or addresses. `communicationType` is the channel kind
 * ("Email" | "Fax" | "Phone"); "Direct", "Mobile", "Cell"… are `type.name`, not kinds
 * (docs/connectwise.md §5.1). A kind ConnectWise adds later reads as absent, not as a failure.
 */
export const CwCommunicationItem = z.looseObject({
  id: z.number().nullish(),
  type: CwRef.nullish(),
  value: z.string().nullish(),
  extension: z.string().nullish(),
  defaultFlag: z.boolean().nullish(),
  communicationType: z.enum(['Email', 'Fax', 'Phone']).nullish().catch(undefined),
  domain: z.string().nullish(),
});
export type CwCommunicationItem = z.infer<typeof CwCommunicationItem>;

/** `GET company/contacts/{id}`. */
export const CwContact = z.looseObject({
  id: z.number(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  title: z.string().nullish(),
  company: CwIdentifiedRef.nullish(),
  site: CwRef.nullish(),
  defaultPhoneNbr: z.string().nullish(),
  defaultPhoneExtension: z.string().nullish(),
  inactiveFlag: z.boolean().nullish(),
  communicationItems: z.array(CwCommunicationItem).nullish(),
  /** Contact types (issue 12: a "VIP" type is how MSPs mark VIPs; a surprising value reads as none). */
  types: z.array(CwRef).nullish().catch(undefined),
  _info: CwInfo,
});
export type CwContact = z.infer<typeof CwContact>;
