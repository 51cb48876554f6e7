import type { ConnectionTestResult, ConnectionTestStep, StepId } from '../../../shared/admin-api.ts';
import { blockingStepIds, stepWords } from '../../../shared/connection-test-steps.ts';
import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { tenantConnection } from '../../tenant-connection.ts';
import type { Tenant } from '../../tenants/tenant.ts';
import { RoleSettings, type RoleSetting } from '../cw-schemas.ts';
import { apiMemberStep } from './api-member-step.ts';
import { boardsStep } from './boards-step.ts';
import { clientIdStep } from './client-id-step.ts';
import { companyStep } from './company-step.ts';
import { keysStep } from './keys-step.ts';
import { genericFailure, isMissingEndpoint, notOnThisVersion } from './outcomes.ts';
import { permissionsStep } from './permissions-step.ts';
import { podRegistrationStep } from './pod-registration-step.ts';
import { securityRoleStep } from './security-role-step.ts';
import { siteStep } from './site-step.ts';
import { DEFAULT_STEP_TIMEOUT_MS, type ConnectionTestDeps, type Step, type StepContext, type StepOutcome } from './step.ts';

/** Every step, in the order it runs (shared/admin-api.ts lists the same ids). */
export const steps: readonly Step[] = [
  siteStep,
  companyStep,
  keysStep,
  clientIdStep,
  apiMemberStep,
  securityRoleStep,
  permissionsStep,
  boardsStep,
  podRegistrationStep,
];

const blocking = new Set<StepId>(blockingStepIds);

/** The step context for one test: the tenant's client, empty findings, system/mySecurity read once. */
function contextFor(deps: ConnectionTestDeps, tenant: Tenant): StepContext {
  const conn = tenantConnection(tenant, deps.defaultClientId);
  const api = deps.connectwise.api(conn);
  let mySecurityMemo: Promise<RoleSetting[] | ConnectWiseHttpError> | null = null;
  return {
    deps,
    tenant,
    conn,
    api,
    host: new URL(tenant.site.uiOrigin).host,
    apiHost: new URL(tenant.site.apiOrigin).host,
    timeoutMs: deps.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
    found: {
      companyInfo: null,
      companyProblem: null,
      server: undefined,
      keysVerdict: null,
      member: null,
      memberViaMySecurity: false,
      roleSettings: null,
    },
    mySecurity(signal) {
      mySecurityMemo ??= api.get('system/mySecurity', RoleSettings, { signal }).catch((err: unknown) => {
        if (err instanceof ConnectWiseHttpError && err.status < 500 && err.status !== 429) return err;
        mySecurityMemo = null;
        throw err;
      });
      return mySecurityMemo;
    },
  };
}

/** Runs one step inside its time box; what it throws becomes an outcome, never an error. */
async function runStep(step: Step, ctx: StepContext): Promise<StepOutcome> {
  try {
    return await step.run(ctx, AbortSignal.timeout(step.budgetMs?.(ctx) ?? ctx.timeoutMs));
  } catch (err) {
    if (isMissingEndpoint(err)) return notOnThisVersion(step.id, err, step.manualCheck?.(ctx));
    const known = genericFailure(err, ctx.apiHost, ctx.timeoutMs);
    if (known !== null) return known;
    ctx.deps.logger?.error({ err, step: step.id, companyId: ctx.tenant.companyId }, 'connection test step crashed');
    return { status: 'failed', message: 'The test itself failed unexpectedly at this step.', fix: 'Run the test again; if it persists, check the pod server’s logs.', halt: true };
  }
}

/**
 * The "pod doctor": checks, in order, that the site answers, the company exists there (and in
 * the tenant's region), the keys and clientId are accepted, the API member and its role can be
 * read, the role grants every right the pod needs (each 403 named as the click path that fixes
 * it), the boards the member sees, and the pod's registration. Reads only: nothing is written
 * to ConnectWise. Each step is time-boxed; when ConnectWise stops answering the step fails with
 * the reason and the rest are skipped. With `scope: "blocking"` only the steps a change of
 * settings must pass run (issue 11: test before replace).
 */
export async function runConnectionTest(deps: ConnectionTestDeps, tenant: Tenant): Promise<ConnectionTestResult> {
  const ctx = contextFor(deps, tenant);
  const results: ConnectionTestStep[] = [];
  let halted: StepId | null = null;
  for (const step of steps) {
    if (deps.scope === 'blocking' && !blocking.has(step.id)) break;
    if (halted !== null) {
      results.push({ id: step.id, status: 'skipped', message: `Not checked: ${stepWords[halted].refusal}.`, fix: '' });
      continue;
    }
    const outcome = await runStep(step, ctx);
    results.push({
      id: step.id,
      status: outcome.status,
      message: outcome.message,
      fix: outcome.fix ?? '',
      ...(outcome.missing && outcome.missing.length > 0 ? { missing: outcome.missing } : {}),
    });
    // Later steps name the step that failed, which is not always the one that stops the test
    // (bad keys stop it one step later, after the clientId was judged).
    if (outcome.halt) halted = results.find((s) => s.status === 'failed')?.id ?? step.id;
  }
  const server = ctx.found.server;
  return {
    ok: results.every((s) => s.status !== 'failed'),
    ranAt: (deps.now?.() ?? new Date()).toISOString(),
    steps: results,
    ...(server !== undefined ? { server } : {}),
  };
}
