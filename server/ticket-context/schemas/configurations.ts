import { z } from 'zod';
import { CwIdentifiedRef, CwInfo, CwRef } from './common.ts';

/** A row of `GET service/tickets/{id}/configurations`: only the id and a display name. */
export const CwConfigurationReference = z.looseObject({
  id: z.number(),
  deviceIdentifier: z.string().nullish(),
  _info: CwInfo,
});
export type CwConfigurationReference = z.infer<typeof CwConfigurationReference>;
export const CwConfigurationReferenceList = z.array(CwConfigurationReference);
export type CwConfigurationReferenceList = z.infer<typeof CwConfigurationReferenceList>;

/** A row of `GET company/configurations?conditions=id in (…)`. */
export const CwCompanyConfiguration = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  type: CwRef.nullish(),
  status: CwRef.nullish(),
  company: CwIdentifiedRef.nullish(),
  contact: CwRef.nullish(),
  serialNumber: z.string().nullish(),
  modelNumber: z.string().nullish(),
  tagNumber: z.string().nullish(),
  warrantyExpirationDate: z.string().nullish(),
  ipAddress: z.string().nullish(),
  osType: z.string().nullish(),
  lastLoginName: z.string().nullish(),
  activeFlag: z.boolean().nullish(),
  _info: CwInfo,
});
export type CwCompanyConfiguration = z.infer<typeof CwCompanyConfiguration>;
export const CwCompanyConfigurationList = z.array(CwCompanyConfiguration);
export type CwCompanyConfigurationList = z.infer<typeof CwCompanyConfigurationList>;
