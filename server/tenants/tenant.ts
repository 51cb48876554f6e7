import { z } from 'zod';
import { ConnectionTestResult, MAX_EXTRA_ORIGINS } from '../../shared/admin-api.ts';
import { ConnectWiseSite } from '../../shared/connectwise-sites.ts';
import { CompanyId } from '../../shared/pod-api.ts';
import { defaultPodDisplay, MAX_LINK_TEMPLATES } from '../../shared/pod-display.ts';

/** Issue 12: the pod's display settings (colour scheme, configuration links); defaults for older rows. */
export const TenantPodDisplay = z.object({
  colorScheme: z.enum(['light', 'system']).default(defaultPodDisplay.colorScheme),
  linkTemplates: z
    .array(z.object({ label: z.string().min(1).max(40), url: z.string().min(1).max(500) }))
    .max(MAX_LINK_TEMPLATES)
    .default([]),
});

/**
 * A ConnectWise company this server serves. Lookups by companyId ignore case; the casing is
 * the one first entered. The keys are in clear here (memory only): the store encrypts them,
 * and the admin API masks them (./mask.ts) before anything leaves the server.
 */
export const Tenant = z.object({
  companyId: CompanyId,
  /** The site as the admin typed it. */
  siteInput: z.string().min(1),
  /** The site normalised by shared/connectwise-sites.ts. */
  site: ConnectWiseSite,
  publicKey: z.string().min(1),
  privateKey: z.string().min(1),
  /** ConnectWise clientId; null means the server's CW_CLIENT_ID. */
  clientId: z.string().nullable(),
  apiMemberId: z.string().nullable(),
  /** Exact origin of the tenant's Nilear MTX front end, when used. */
  nilearOrigin: z.string().nullable(),
  /** Boards whose tickets the pod may show; empty means all. */
  boardIds: z.array(z.number().int().positive()),
  // --- issue 10 (least privilege) ---
  /** Whose rights decide the optional sections; absent means "technician" (shared/admin-api.ts SectionAccess). */
  sectionAccess: z.enum(['technician', 'apiMember']).optional(),
  // --- issue 12 (triage): display settings, optional with a default ---
  // Absent = the defaults (shared/pod-display.ts), so code and rows from before keep working.
  podDisplay: TenantPodDisplay.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** 1 when created, +1 on every upsert; what `expectedVersion` is compared with. */
  version: z.number().int().positive(),
  lastTest: z.nullable(ConnectionTestResult),
  // Issue 11 (never a blank pod).
  /** Exact origins, besides the site (and Nilear origin), that may frame the pod; at most 10. */
  extraOrigins: z.array(z.string()).max(MAX_EXTRA_ORIGINS).default([]),
});
export type Tenant = z.infer<typeof Tenant>;

/** What a caller saves: the store keeps the timestamps, the version and the last test result. */
export const TenantWrite = Tenant.omit({ createdAt: true, updatedAt: true, version: true, lastTest: true });
/** The input form: fields with a default (extraOrigins) may be left out by callers that predate them. */
export type TenantWrite = z.input<typeof TenantWrite>;
/** A write after parsing: every default filled in, as the stores keep it. */
export type ParsedTenantWrite = z.output<typeof TenantWrite>;

/**
 * Where tenants live. Asynchronous although SQLite is not, so a server database can replace
 * it without touching callers.
 *
 * `expectedVersion`: omitted, no check; 0, the tenant must not exist yet; n ≥ 1, the tenant
 * must be at version n. Otherwise the call throws VersionConflictError.
 */
export interface TenantStore {
  /** Throws CorruptTenantError when the stored row cannot be read back. */
  get(companyId: string): Promise<Tenant | null>;
  /** Every readable tenant, ordered by company id; unreadable rows are reported, not returned. */
  list(): Promise<Tenant[]>;
  upsert(write: TenantWrite, opts?: { expectedVersion?: number }): Promise<{ tenant: Tenant; created: boolean }>;
  /** True when a tenant was deleted; false when there was none (whatever expectedVersion says). */
  delete(companyId: string, opts?: { expectedVersion?: number }): Promise<boolean>;
  /**
   * Records the last connection test. Leaves `version` and `updatedAt` alone, so running a
   * test does not make an admin's open form stale; a no-op for an unknown tenant.
   */
  saveTestResult(companyId: string, result: ConnectionTestResult): Promise<void>;
  /**
   * For /readyz: true while the database answers a query. SQLite answers synchronously;
   * PostgreSQL answers within a couple of seconds (false on a timeout).
   */
  ping(): boolean | Promise<boolean>;
  /** Closes the store; later calls fail. Safe to call twice. */
  close(): void | Promise<void>;
  /**
   * Stores shared by several instances (PostgreSQL) call `listener` when another instance (or
   * this one) changes a tenant: with its company id (lower case), or null when changes may
   * have been missed (the notification connection was lost) and everything must be re-read.
   * Returns the unsubscribe function.
   */
  onChange?(listener: (companyKey: string | null) => void): () => void;
}
