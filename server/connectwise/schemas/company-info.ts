import { z } from 'zod';

/**
 * `GET {site}/login/companyinfo/{companyId}` (unauthenticated; connectwise.md §4.1). PascalCase
 * as ConnectWise sends it. `IsCloud` arrives as a boolean or as "True"/"False".
 */
export const CompanyInfo = z.looseObject({
  CompanyName: z.string().nullish(),
  /** e.g. "v4_6_release/" (on-premise) or "v2025_1/" (cloud); goes into URL paths, so only a safe segment. */
  Codebase: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\/?$/, 'a codebase is one path segment such as "v4_6_release/"')
    .transform((c) => (c.endsWith('/') ? c : `${c}/`)),
  VersionCode: z.string().nullish(),
  VersionNumber: z.string().nullish(),
  CompanyID: z.string().nullish(),
  IsCloud: z
    .union([z.boolean(), z.string()])
    .transform((v) => (typeof v === 'boolean' ? v : v.trim().toLowerCase() === 'true'))
    .nullish(),
  SiteUrl: z.string().nullish(),
  AllowedOrigins: z.unknown().optional(),
});
export type CompanyInfo = z.output<typeof CompanyInfo>;
