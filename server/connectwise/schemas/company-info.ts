import { z } from 'zod';

/**
 * `GET {site}/login/companyinfo/{companyId}` (unauthenticated; docs/connectwise.md §4.1). PascalCase
 * as ConnectWise sends it. `IsCloud` arrives as a boolean or as "True"/"False".
 *
 * Kept for an hour per company (api-base.ts), so every string has a length limit and unknown
 * keys are dropped: whatever a site answers, an entry stays a few hundred bytes (issue 10 item 4).
 */
export const CompanyInfo = z.object({
  CompanyName: z.string().max(200).nullish(),
  /** e.g. "v4_6_release/" (on-premise) or "v2025_1/" (cloud); goes into URL paths, so only a safe segment. */
  Codebase: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\/?$/, 'a codebase is one path segment such as "v4_6_release/"')
    .transform((c) => (c.endsWith('/') ? c : `${c}/`)),
  VersionCode: z.string().max(50).nullish(),
  VersionNumber: z.string().max(50).nullish(),
  CompanyID: z.string().max(100).nullish(),
  IsCloud: z
    .union([z.boolean(), z.string().max(10)])
    .transform((v) => (typeof v === 'boolean' ? v : v.trim().toLowerCase() === 'true'))
    .nullish(),
  SiteUrl: z.string().max(300).nullish(),
});
export type CompanyInfo = z.output<typeof CompanyInfo>;
