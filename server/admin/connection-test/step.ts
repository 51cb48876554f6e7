import type { ConnectionTestResult, StepId, StepStatus } from '../../../shared/admin-api.ts';
import { podPermissions } from '../../../shared/pod-permissions.ts';
import type { ConnectWise, TenantApi, TenantConnection } from '../../connectwise/connectwise.ts';
import type { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import type { CompanyInfo } from '../../connectwise/schemas/company-info.ts';
import type { Logger } from '../../logger.ts';
import type { Tenant } from '../../tenants/tenant.ts';
import type { MemberRow, RoleSetting } from '../cw-schemas.ts';

export type ConnectionTestDeps = {
  connectwise: ConnectWise;
  publicUrl: string;
  /** The server's CW_CLIENT_ID. */
  defaultClientId?: string | undefined;
  /** Time box per step (the permissions step, which probes a dozen endpoints, gets three). */
  stepTimeoutMs?: number;
  logger?: Logger | undefined;
  now?: () => Date;
  /** "blocking": only the steps a change of settings must pass (shared/connection-test-steps.ts). */
  scope?: 'full' | 'blocking';
};

export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

/** What a step found. `halt` stops the test: every later step is skipped. */
export type StepOutcome = { status: StepStatus; message: string; fix?: string; missing?: string[]; halt?: boolean };

/** What earlier steps learnt, for later ones (the runner creates it empty). */
export type Findings = {
  /** companyinfo's answer, when the site gave one. */
  companyInfo: CompanyInfo | null;
  /** companyinfo answered, but not usefully (an HTTP error, or not its JSON). */
  companyProblem: string | null;
  /** What companyinfo says about the server, for the result. */
  server: ConnectionTestResult['server'];
  /** The keys step judges the clientId too; the clientId step reports it. */
  keysVerdict: { keys: StepOutcome; clientId: StepOutcome } | null;
  member: MemberRow | null;
  /** The keys' own member was confirmed through system/mySecurity (members could not be listed). */
  memberViaMySecurity: boolean;
  roleSettings: RoleSetting[] | null;
};

/** Everything a step may use: the tenant under test, its ConnectWise client, and the findings so far. */
export type StepContext = {
  deps: ConnectionTestDeps;
  tenant: Tenant;
  conn: TenantConnection;
  api: TenantApi;
  /** The UI host and the REST host, for messages. */
  host: string;
  apiHost: string;
  timeoutMs: number;
  found: Findings;
  /** system/mySecurity, read at most once per test; a 4xx comes back as the error. */
  mySecurity(signal: AbortSignal): Promise<RoleSetting[] | ConnectWiseHttpError>;
};

/** One step of the test, in its own module. */
export type Step = {
  id: StepId;
  run(ctx: StepContext, signal: AbortSignal): Promise<StepOutcome>;
  /** A longer time box than one step's (the permissions step probes a dozen endpoints). */
  budgetMs?(ctx: StepContext): number;
  /** What to check by hand when this ConnectWise lacks the step's endpoint. */
  manualCheck?(ctx: StepContext): string;
};

/** The click path of a right, from shared/pod-permissions.ts. */
export const pathOf = (id: string): string => podPermissions.find((p) => p.id === id)?.uiPath ?? id;
