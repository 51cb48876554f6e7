import * as z from 'zod/mini';
import { CompanyId } from './pod-api.ts';
import { ConnectWiseSite } from './connectwise-sites.ts';
import { normaliseOrigin } from './origins.ts';
import { ColorScheme, LinkTemplate, linkTemplateProblem, MAX_LINK_TEMPLATES, PodDisplay } from './pod-display.ts';

/** Issue 12: the pod's display settings as an admin sends them; every link template is checked. */
const PodDisplayInput = z.strictObject({
  colorScheme: ColorScheme,
  linkTemplates: z
    .array(
      z.strictObject({
        label: LinkTemplate.shape.label,
        url: LinkTemplate.shape.url.check(
          z.superRefine((url, ctx) => {
            const problem = linkTemplateProblem(url);
            if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: url });
          }),
        ),
      }),
    )
    .check(z.maxLength(MAX_LINK_TEMPLATES)),
});

/**
 * The admin API (`Authorization: Bearer $ADMIN_TOKEN`, or the console's session cookie plus
 * its CSRF header):
 *
 *   GET    /api/admin/tenants                          → TenantList
 *   GET    /api/admin/tenants/:companyId               → TenantView
 *   PUT    /api/admin/tenants/:companyId  TenantInput  → TenantView (201 when created)
 *          [?force=true]                                  422 ConnectionTestFailedBody when changed
 *                                                         connection settings fail the test
 *   DELETE /api/admin/tenants/:companyId               → 204
 *   POST   /api/admin/tenants/:companyId/test          → ConnectionTestResult
 *   POST   /api/admin/tenants/:companyId/register-pod  → RegisterPodResult
 *   GET    /api/admin/tenants/:companyId/boards        → BoardList
 *   GET    /api/admin/tenants/:companyId/events        → TenantEvents
 *
 * Secrets are write-only: a TenantView shows them masked to their last four characters.
 */

export { CompanyId };

/**
 * An origin a tenant stores (Nilear, and any other): parsed by the same exact-origin
 * normaliser as the pod's protocol check (shared/origins.ts), so what is stored is exactly
 * what the browser will send: http(s), host, optional port, nothing else. No wildcard, path,
 * query, credentials, spaces or CSP separators (issue 10 item 5). Stored normalised.
 */
export const ExactOrigin = z.pipe(
  z.string().check(
    // normaliseOrigin refuses anything over MAX_ORIGIN_LENGTH before parsing it.
    z.refine(
      (v) => normaliseOrigin(v.trim()) !== null,
      'an exact origin such as https://mtx.example.com (scheme, host and optional port; no path, query, wildcard or user name)',
    ),
  ),
  z.transform((v) => normaliseOrigin(v.trim()) ?? v),
);

/**
 * Which sections a technician sees (issue 10). "technician": only those their own ConnectWise
 * role grants (the default, least privilege). "apiMember": every technician who may open the
 * ticket sees the sections the API member can read, whatever their own role says; an admin
 * chooses it knowingly (the console explains). Lists of tickets stay within the technician's
 * boards either way.
 */
export const SectionAccess = z.enum(['technician', 'apiMember']);
export type SectionAccess = z.infer<typeof SectionAccess>;

/** Issue 11: at most this many extra addresses may frame a tenant's pod. */
export const MAX_EXTRA_ORIGINS = 10;

export const TenantInput = z.strictObject({
  /** As the admin typed it; normalised by the server (shared/connectwise-sites.ts). */
  site: z.string().check(z.minLength(1), z.maxLength(300)),
  /** Required on create; omit on an update to keep the stored public key (views show it masked). */
  publicKey: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** Required on create; omit on an update to keep the stored private key. */
  privateKey: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** ConnectWise clientId (a GUID) for this tenant; the server's CW_CLIENT_ID when omitted. */
  clientId: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  /** The API member's identifier, for the connection test's diagnostics. */
  apiMemberId: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  /** Exact origin of the tenant's Nilear MTX front end, when used. */
  nilearOrigin: z.optional(z.nullable(ExactOrigin)),
  /** Boards whose tickets the pod may show; empty means all. */
  boardIds: z.optional(z.array(z.int().check(z.positive())).check(z.maxLength(500))),
  // --- issue 10 (least privilege) ---
  /** Omitted: keep the stored choice ("technician" for a new tenant). */
  sectionAccess: z.optional(SectionAccess),
  /** Issue 12: colour scheme and configuration link templates; omit to keep the stored ones. */
  podDisplay: z.optional(PodDisplayInput),
  /** The version last read; a stale one is answered 409. Omit to create. */
  version: z.optional(z.int().check(z.positive())),
  // Issue 11 (never a blank pod): more addresses technicians reach ConnectWise at.
  /**
   * Exact origins, besides the site (and the Nilear origin in Nilear mode), that may frame the
   * pod and talk to it: a second host name of an on-premise server, say. Omit to keep.
   */
  extraOrigins: z.optional(z.array(ExactOrigin).check(z.maxLength(MAX_EXTRA_ORIGINS))),
});
export type TenantInput = z.infer<typeof TenantInput>;

export const StepStatus = z.enum(['ok', 'failed', 'warning', 'skipped']);
export type StepStatus = z.infer<typeof StepStatus>;

/** The connection test's steps, in the order they run. */
export const stepIds = [
  'site',
  'company',
  'keys',
  'client_id',
  'api_member',
  'security_role',
  'permissions',
  'boards',
  'pod_registration',
] as const;
export const StepId = z.enum(stepIds);
export type StepId = z.infer<typeof StepId>;

export const ConnectionTestStep = z.object({
  id: StepId,
  status: StepStatus,
  /** What was found, in an admin's words. */
  message: z.string(),
  /** What to do about it; empty when nothing is needed. */
  fix: z.string(),
  /** Permissions the role lacks, each as the path an admin clicks in ConnectWise. */
  missing: z.optional(z.array(z.string())),
});
export type ConnectionTestStep = z.infer<typeof ConnectionTestStep>;

export const ConnectionTestResult = z.object({
  ok: z.boolean(),
  ranAt: z.string(),
  steps: z.array(ConnectionTestStep),
  /** What companyinfo told us, when the site answered. */
  server: z.optional(
    z.object({
      codebase: z.optional(z.string()),
      version: z.optional(z.string()),
      isCloud: z.optional(z.boolean()),
      region: z.optional(z.nullable(z.string())),
    }),
  ),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

/**
 * A PUT that changes the connection settings (site, keys, clientId, API member) runs the
 * test's blocking steps on the new settings first; when one fails it answers 422 with this
 * body and stores nothing. `?force=true` stores anyway (issue 11).
 */
export const ConnectionTestFailedBody = z.object({
  error: z.object({
    code: z.literal('connection_test_failed'),
    message: z.string(),
    /** The blocking steps as they ran on the settings that were sent. */
    test: ConnectionTestResult,
    requestId: z.optional(z.string()),
  }),
});
export type ConnectionTestFailedBody = z.infer<typeof ConnectionTestFailedBody>;

/** The values an admin pastes into System › Setup Tables › Manage Hosted API. */
export const HostedApiValues = z.object({
  description: z.string(),
  screen: z.literal('Service Ticket'),
  origin: z.string(),
  url: z.string(),
  nilearUrl: z.string(),
  podHeight: z.number(),
});
export type HostedApiValues = z.infer<typeof HostedApiValues>;

/** An address that framed a tenant's pod and was answered with the "not allowed" notice. */
export const RefusedOrigin = z.object({
  origin: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  count: z.number(),
});
export type RefusedOrigin = z.infer<typeof RefusedOrigin>;

export const TenantView = z.object({
  companyId: z.string(),
  siteInput: z.string(),
  site: ConnectWiseSite,
  /** Masked: "••••••••abcd". */
  publicKey: z.string(),
  privateKey: z.string(),
  clientId: z.nullable(z.string()),
  /** The clientId actually sent: the tenant's, else the server's CW_CLIENT_ID. */
  effectiveClientId: z.nullable(z.string()),
  apiMemberId: z.nullable(z.string()),
  nilearOrigin: z.nullable(z.string()),
  boardIds: z.array(z.number()),
  // --- issue 10 (least privilege) ---
  /** Always answered by the server; "technician" when a client's older copy lacks it. */
  sectionAccess: z._default(SectionAccess, 'technician'),
  /** Issue 12: the pod's display settings (the server always sends them; optional for older servers). */
  podDisplay: z.optional(PodDisplay),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  lastTest: z.nullable(ConnectionTestResult),
  hostedApi: HostedApiValues,
  // Issue 11 (never a blank pod).
  /** Extra exact origins that may frame the pod (TenantInput.extraOrigins). */
  extraOrigins: z._default(z.array(z.string()), []),
  /**
   * Addresses that framed the pod but are not the tenant's, newest first (at most 20). Anyone
   * can frame the pod, so these are hints: allow only an address you recognise as your own
   * ConnectWise.
   */
  refusedOrigins: z._default(z.array(RefusedOrigin), []),
});
export type TenantView = z.infer<typeof TenantView>;

export const TenantList = z.object({ tenants: z.array(TenantView) });
export type TenantList = z.infer<typeof TenantList>;

export const RegisterPodResult = z.object({
  action: z.enum(['created', 'updated', 'unchanged']),
  setupId: z.number(),
  screenId: z.number(),
  values: HostedApiValues,
});
export type RegisterPodResult = z.infer<typeof RegisterPodResult>;

export const BoardList = z.object({
  boards: z.array(z.object({ id: z.number(), name: z.string(), inactive: z.boolean() })),
});
export type BoardList = z.infer<typeof BoardList>;

/** POST /admin/session (console sign-in) body; answered with a session cookie and CsrfToken. */
export const AdminSignIn = z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(500)) });
export const CsrfToken = z.object({ csrfToken: z.string() });
