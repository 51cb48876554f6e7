import type { ConnectionTestResult, ConnectionTestStep, StepId, StepStatus } from '../../shared/admin-api.ts';
import { cloudLookAlike, cloudRegions, regionOfHost, type RegionId } from '../../shared/connectwise-sites.ts';
import { stepWords } from '../../shared/connection-test-steps.ts';
import { podPermissions, type PodPermission } from '../../shared/pod-permissions.ts';
import type { ConnectWise } from '../connectwise/connectwise.ts';
import { ConnectWiseUnreachableError } from '../connectwise/errors/ConnectWiseUnreachableError.ts';
import type { CompanyInfo } from '../connectwise/schemas/company-info.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import type { Logger } from '../logger.ts';
import { tenantConnection } from '../tenant-connection.ts';
import type { Tenant } from '../tenants/tenant.ts';
import { Anything, Boards, HostedSetups, MemberList, RoleSettings, SystemInfo, TicketIds, type MemberRow, type RoleSetting } from './cw-schemas.ts';
import { cwSaid, explainUnreachable } from './describe-failure.ts';
import { hostedApiValues, isOurPodUrl } from './hosted-api-values.ts';
import { judgePermissions, permissionsStep, type ProbeOutcome } from './permission-check.ts';

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

/** A syntactically valid clientId that no one was issued: the control in the keys-or-clientId question. */
const UNISSUED_CLIENT_ID = '00000000-0000-4000-8000-000000000000';

/** What a step found. `halt` stops the test: every later step is skipped. */
type StepOutcome = { status: StepStatus; message: string; fix?: string; missing?: string[]; halt?: boolean };

/** Thrown inside a step to end the whole test (ConnectWise stopped answering). */
class Halt extends Error {
  readonly outcome: StepOutcome;
  constructor(outcome: StepOutcome) {
    super(outcome.message);
    this.outcome = outcome;
  }
}

const regionLabel = (id: RegionId) => cloudRegions.find((r) => r.id === id);

/** Escapes a value for a ConnectWise `conditions` string literal (connectwise.md §4.3). */
export function conditionString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const memberName = (m: MemberRow) => [m.firstName, m.lastName].filter(Boolean).join(' ') || m.identifier;

const pathOf = (id: string) => podPermissions.find((p) => p.id === id)?.uiPath ?? id;

/**
 * The "pod doctor": checks, in order, that the site answers, the company exists there (and in
 * the tenant's region), the keys and clientId are accepted, the API member and its role can be
 * read, the role grants every right the pod needs (each 403 named as the click path that fixes
 * it), the boards the member sees, and the pod's registration. Reads only: nothing is written
 * to ConnectWise. Each step is time-boxed; when ConnectWise stops answering the step fails with
 * the reason and the rest are skipped.
 */
export async function runConnectionTest(deps: ConnectionTestDeps, tenant: Tenant): Promise<ConnectionTestResult> {
  const timeoutMs = deps.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const conn = tenantConnection(tenant, deps.defaultClientId);
  const host = new URL(tenant.site.uiOrigin).host;
  const apiHost = new URL(tenant.site.apiOrigin).host;
  const steps: ConnectionTestStep[] = [];
  let halted: StepId | null = null;
  let server: ConnectionTestResult['server'];

  /** Failures any step may hit: ConnectWise unreachable, throttling, server errors. */
  function generic(err: unknown, where: string): StepOutcome | null {
    const unreachable = explainUnreachable(err, where, timeoutMs);
    if (unreachable) return { status: 'failed', ...unreachable, halt: true };
    if (err instanceof ConnectWiseHttpError) {
      if (err.status === 429) {
        return {
          status: 'failed',
          message: `ConnectWise is throttling requests (429) at ${err.endpoint}.`,
          fix: `Wait ${err.retryAfter ?? 60} seconds, then run the test again.`,
          halt: true,
        };
      }
      if (err.status >= 500) {
        return {
          status: 'failed',
          message: `ConnectWise failed with ${err.status} at ${err.endpoint}.${cwSaid(err)}`,
          fix: 'ConnectWise had an internal error; try again in a few minutes.',
          halt: true,
        };
      }
    }
    return null;
  }

  async function step(
    id: StepId,
    run: (signal: AbortSignal) => Promise<StepOutcome>,
    options: { budgetMs?: number; manualCheck?: string } = {},
  ): Promise<void> {
    if (halted !== null) {
      steps.push({ id, status: 'skipped', message: `Not checked: ${stepWords[halted].refusal}.`, fix: '' });
      return;
    }
    let outcome: StepOutcome;
    try {
      outcome = await run(AbortSignal.timeout(options.budgetMs ?? timeoutMs));
    } catch (err) {
      if (err instanceof Halt) outcome = err.outcome;
      else if (isMissingEndpoint(err)) outcome = notOnThisVersion(id, err, options.manualCheck);
      else {
        const known = generic(err, apiHost);
        if (known === null) {
          deps.logger?.error({ err, step: id, companyId: tenant.companyId }, 'connection test step crashed');
          outcome = { status: 'failed', message: 'The test itself failed unexpectedly at this step.', fix: 'Run the test again; if it persists, check the pod server’s logs.', halt: true };
        } else outcome = known;
      }
    }
    steps.push({
      id,
      status: outcome.status,
      message: outcome.message,
      fix: outcome.fix ?? '',
      ...(outcome.missing && outcome.missing.length > 0 ? { missing: outcome.missing } : {}),
    });
    // Later steps name the step that failed, which is not always the one that stops the test
    // (bad keys stop it one step later, after the clientId was judged).
    if (outcome.halt) halted = steps.find((s) => s.status === 'failed')?.id ?? id;
  }

  /** The blocking steps only: whether ConnectWise answers these settings at all. */
  const finish = (): ConnectionTestResult => ({
    ok: steps.every((s) => s.status !== 'failed'),
    ranAt: (deps.now?.() ?? new Date()).toISOString(),
    steps,
    ...(server !== undefined ? { server } : {}),
  });

  const api = deps.connectwise.api(conn);

  // --- site + company: one companyinfo call, read twice ------------------------------------
  let companyInfo: CompanyInfo | null = null;
  /** companyinfo answered, but not usefully (an HTTP error, or not its JSON). */
  let companyProblem: string | null = null;
  const onPremise = tenant.site.kind === 'on-premise';
  await step('site', async (signal) => {
    const scheme = tenant.site.uiOrigin.startsWith('https:') ? 'HTTPS (DNS and TLS fine)' : 'HTTP';
    try {
      // The network guard resolves the name first: a DNS failure is told apart from a site that answers badly.
      await deps.connectwise.assertSiteAllowed(tenant.site);
      companyInfo = await deps.connectwise.companyInfo(tenant.site, tenant.companyId, { fresh: true, signal });
      return { status: 'ok', message: `${host} answered over ${scheme}.` };
    } catch (err) {
      if (err instanceof ConnectWiseHttpError && err.status < 500 && err.status !== 429) {
        companyProblem = `HTTP ${err.status}`;
        return { status: 'ok', message: `${host} answered over ${scheme} (HTTP ${err.status} for the company).` };
      }
      // An unknown company may get a JSON null (or empty fields): the site is fine.
      if (err instanceof ConnectWiseUnreachableError && err.reason === 'bad_shape') {
        companyProblem = 'no company information came back';
        return { status: 'ok', message: `${host} answered over ${scheme}.` };
      }
      if (onPremise && err instanceof ConnectWiseUnreachableError && err.reason === 'not_json') {
        companyProblem = 'not ConnectWise’s company information';
        return { status: 'ok', message: `${host} answered over ${scheme}.` };
      }
      const fromHere = err instanceof ConnectWiseUnreachableError ? unreachableFromServer(err, apiHost, tenant.siteInput) : null;
      if (fromHere !== null) return fromHere;
      throw err;
    }
  });

  await step('company', async () => {
    const info = companyInfo as CompanyInfo | null;
    if (info === null) {
      if (onPremise) {
        // A reverse proxy may expose only the API; the client then assumes v4_6_release/.
        return {
          status: 'warning',
          message: `${host} did not confirm the company id "${tenant.companyId}" (login/companyinfo: ${companyProblem ?? 'no answer'}); assuming the on-premise codebase v4_6_release/.`,
          fix: 'If the next step fails, check the company id (the "Company" field on ConnectWise’s sign-in page).',
        };
      }
      return {
        status: 'failed',
        message: `${host} does not know the company id "${tenant.companyId}" (${companyProblem ?? 'no answer'}).`,
        fix: 'Enter the company id you type on ConnectWise’s sign-in page (the "Company" field), and check the region.',
        halt: true,
      };
    }
    const siteHost = (info.SiteUrl ?? '').replace(/^https?:\/\//i, '').replace(/[/:].*$/, '');
    const infoRegion = siteHost ? regionOfHost(siteHost) : null;
    server = {
      ...(info.Codebase ? { codebase: info.Codebase } : {}),
      ...(info.VersionCode ? { version: info.VersionCode } : {}),
      ...(typeof info.IsCloud === 'boolean' ? { isCloud: info.IsCloud } : {}),
      region: infoRegion,
    };
    if (infoRegion !== null && infoRegion !== tenant.site.region) {
      const want = regionLabel(infoRegion);
      const have = tenant.site.region ?? host;
      return {
        status: 'failed',
        message: `Wrong region: this company is on ${infoRegion}, not ${have}.`,
        fix: `Pick ${want ? `${want.label} (${want.uiHost})` : infoRegion} as the region in the tenant settings and save.`,
        halt: true,
      };
    }
    const kind = info.IsCloud ? 'ConnectWise cloud' : 'on-premise';
    const version = info.VersionCode ? ` ${info.VersionCode}` : '';
    const name = info.CompanyName ? ` (${info.CompanyName})` : '';
    return {
      status: 'ok',
      message: `Company "${tenant.companyId}"${name} found: ${kind}${version}${info.Codebase ? `, codebase ${info.Codebase}` : ''}.`,
    };
  });

  // --- keys + clientId ----------------------------------------------------------------------
  const clientIdSource = tenant.clientId ? 'this tenant’s clientId' : deps.defaultClientId ? 'the server’s CW_CLIENT_ID' : null;
  const clientIdFix =
    'Set CW_CLIENT_ID on the pod server to the clientId GUID from developer.connectwise.com (or fill in this tenant’s clientId field), then run the test again.';
  let keysVerdict: { keys: StepOutcome; clientId: StepOutcome } | null = null;
  const mentionsClientId = (err: ConnectWiseHttpError) =>
    /client\s*-?\s*id/i.test(`${err.cwCode ?? ''} ${err.cwMessage} ${err.cwErrors.map((e) => e.field ?? '').join(' ')}`);

  await step('keys', async (signal) => {
    try {
      const info = await api.get('system/info', SystemInfo, { signal });
      const clientOk: StepOutcome = clientIdSource
        ? { status: 'ok', message: `ConnectWise accepted ${clientIdSource}.` }
        : {
            status: 'warning',
            message: 'ConnectWise answered without a clientId (older on-premise versions allow it).',
            fix: `ConnectWise requires a clientId on every call since 2019.1. ${clientIdFix}`,
          };
      keysVerdict = { keys: { status: 'ok', message: '' }, clientId: clientOk };
      return { status: 'ok', message: `The API keys were accepted${info.version ? ` (ConnectWise ${info.version})` : ''}.` };
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || (err.status !== 401 && err.status !== 403 && err.status !== 404)) throw err;
      if (err.status === 403) {
        keysVerdict = { keys: { status: 'ok', message: '' }, clientId: { status: 'ok', message: `ConnectWise accepted ${clientIdSource ?? 'the call'}.` } };
        return {
          status: 'warning',
          message: `The API keys were accepted, but the role may not read system/info (403).${cwSaid(err)}`,
          fix: '',
        };
      }
      if (err.status === 404) {
        return {
          status: 'failed',
          message: `ConnectWise answered 404 to system/info.${cwSaid(err)} On ConnectWise cloud a 404 here usually means bad credentials: the company id, public key or private key is wrong, or the region is.`,
          fix: 'Check the company id and the API member’s public and private keys (System › Members › API Members › <member> › API Keys), and the region.',
          halt: true,
        };
      }
      // 401: the keys, or the clientId? Ask again in ways whose answers differ.
      if (!clientIdSource) {
        keysVerdict = {
          keys: { status: 'skipped', message: '' },
          clientId: { status: 'failed', message: 'No clientId is configured, and ConnectWise refuses calls without one.', fix: clientIdFix, halt: true },
        };
        return {
          status: 'skipped',
          message: 'Not checked: ConnectWise refused the call (401), and without a clientId it refuses every call. See the next step.',
        };
      }
      const alternative = tenant.clientId && deps.defaultClientId && tenant.clientId !== deps.defaultClientId ? deps.defaultClientId : null;
      if (alternative !== null) {
        const retried = await succeeds(deps.connectwise.api({ ...conn, clientId: alternative }).get('system/info', SystemInfo, { signal }));
        if (retried) {
          keysVerdict = {
            keys: { status: 'ok', message: '' },
            clientId: {
              status: 'failed',
              message: 'ConnectWise refused this tenant’s clientId, but accepted the server’s CW_CLIENT_ID with the same keys.',
              fix: 'Clear this tenant’s clientId field (to use CW_CLIENT_ID) or correct it, then run the test again.',
              halt: true,
            },
          };
          return { status: 'ok', message: 'The API keys were accepted (with the server’s CW_CLIENT_ID).' };
        }
      }
      if (mentionsClientId(err)) {
        keysVerdict = {
          keys: { status: 'skipped', message: '' },
          clientId: {
            status: 'failed',
            message: `ConnectWise does not accept ${clientIdSource}.${cwSaid(err)}`,
            fix: clientIdFix,
            halt: true,
          },
        };
        return { status: 'skipped', message: 'Not checked: ConnectWise refused the clientId before looking at the keys. See the next step.' };
      }
      // Ask once more with a clientId nobody issued: if ConnectWise now complains about the
      // clientId, ours passed that check the first time, so the keys are what it refused.
      const bogus = await failure(deps.connectwise.api({ ...conn, clientId: UNISSUED_CLIENT_ID }).get('system/info', SystemInfo, { signal }));
      const ourClientIdPassed = bogus instanceof ConnectWiseHttpError && mentionsClientId(bogus);
      keysVerdict = {
        keys: { status: 'failed', message: '' },
        clientId: ourClientIdPassed
          ? { status: 'ok', message: `ConnectWise accepted ${clientIdSource} (it refused a made-up one, but not ours).` }
          : { status: 'skipped', message: 'Not checked separately: ConnectWise gives the same answer for bad keys and an unknown clientId.' },
      };
      return {
        status: 'failed',
        message: `ConnectWise refused the API keys (401): public/private key or company id wrong.${cwSaid(err)}`,
        fix: ourClientIdPassed
          ? 'Check the API member’s public and private keys (System › Members › API Members › <member> › API Keys; a new private key is shown only once) and the company id.'
          : `Check the API member’s public and private keys (System › Members › API Members › <member> › API Keys; a new private key is shown only once) and the company id. If they are right, the clientId may be unknown: ${clientIdFix}`,
      };
    }
  });

  await step('client_id', async () => {
    const verdict = keysVerdict as { keys: StepOutcome; clientId: StepOutcome } | null;
    if (verdict === null) return { status: 'skipped', message: 'Not checked.' };
    const keysFailed = verdict.keys.status === 'failed';
    // Bad keys end the test here whether or not the clientId could be judged.
    return keysFailed ? { ...verdict.clientId, halt: true } : verdict.clientId;
  });

  // --- API member, its role, and the caller's own rights -------------------------------------
  let mySecurityMemo: Promise<RoleSetting[] | ConnectWiseHttpError> | null = null;
  const mySecurity = (signal: AbortSignal) => {
    mySecurityMemo ??= api.get('system/mySecurity', RoleSettings, { signal }).catch((err: unknown) => {
      if (err instanceof ConnectWiseHttpError && err.status < 500 && err.status !== 429) return err;
      mySecurityMemo = null;
      throw err;
    });
    return mySecurityMemo;
  };
  const callerIdentifier = (rows: RoleSetting[]) => rows.find((r) => r.member?.identifier)?.member?.identifier ?? null;

  let member: MemberRow | null = null;
  let memberViaMySecurity = false;
  const apiMemberId = tenant.apiMemberId?.trim() || null;
  const fillMemberFix =
    'Fill in the API member’s Member ID in this tenant’s settings (System › Members › API Members, the "Member ID" column), then run the test again.';

  await step('api_member', async (signal) => {
    if (apiMemberId === null) {
      return { status: 'skipped', message: 'No API member ID is set, so the member and its role were not looked up.', fix: fillMemberFix };
    }
    let rows: MemberRow[];
    try {
      rows = await api.get('system/members', MemberList, {
        signal,
        searchParams: { conditions: `identifier=${conditionString(apiMemberId)}`, pageSize: '5' },
      });
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || err.status !== 403) throw err;
      // The role may not list members; the keys' own identity still tells us who they are.
      const mine = await mySecurity(signal);
      const identifier = Array.isArray(mine) ? callerIdentifier(mine) : null;
      if (identifier !== null && identifier.toLowerCase() === apiMemberId.toLowerCase()) {
        memberViaMySecurity = true;
        return { status: 'ok', message: `The API keys belong to "${identifier}" (read through system/mySecurity; the role may not list members, which the pod does not need).` };
      }
      if (identifier !== null) {
        return {
          status: 'failed',
          message: `The API keys belong to "${identifier}", not to "${apiMemberId}".`,
          fix: `Enter "${identifier}" as the API member ID, or enter the keys of "${apiMemberId}".`,
        };
      }
      return {
        status: 'warning',
        message: 'The API member could not be looked up: Forbidden.',
        fix: `Give the role ${pathOf('member_maintenance')} (optional: the test then checks the member too).`,
      };
    }
    const found = rows.find((m) => m.identifier.toLowerCase() === apiMemberId.toLowerCase());
    if (found === undefined) {
      return {
        status: 'failed',
        message: `API member not found: no member has the ID "${apiMemberId}". The member ID must match exactly.`,
        fix: 'Copy the Member ID from System › Members › API Members in ConnectWise into this tenant’s API member ID field.',
      };
    }
    member = found;
    if (found.inactiveFlag) {
      return {
        status: 'failed',
        message: `The API member "${found.identifier}" is inactive.`,
        fix: `Reactivate it in System › Members › API Members › ${found.identifier} (clear "Inactive"), or create a new API member.`,
      };
    }
    const role = found.securityRole?.name ? `, role "${found.securityRole.name}"` : '';
    return { status: 'ok', message: `API member "${found.identifier}" found (${memberName(found)}${role}).` };
  });

  if (deps.scope === 'blocking') return finish();

  let roleSettings: RoleSetting[] | null = null;
  await step('security_role', async (signal) => {
    const m = member as MemberRow | null;
    if (apiMemberId === null) {
      return { status: 'skipped', message: 'No API member ID is set; the rights are read through system/mySecurity instead.', fix: fillMemberFix };
    }
    if (m === null) {
      if (memberViaMySecurity) return { status: 'ok', message: 'The API member’s rights are read through system/mySecurity.' };
      return { status: 'skipped', message: 'Skipped: the API member was not found.' };
    }
    const roleId = m.securityRole?.id;
    if (roleId === undefined) return { status: 'warning', message: 'The API member has no security role.', fix: 'Give the API member a security role (System › Members › API Members › <member> › Role ID).' };
    const tryRead = async (resource: string) => api.get(`system/${resource}/${roleId}/settings`, RoleSettings, { signal });
    try {
      try {
        roleSettings = await tryRead('securityRoles');
      } catch (err) {
        // Whether the path's casing matters is unconfirmed (connectwise.md §7 #12): one retry.
        if (!(err instanceof ConnectWiseHttpError) || err.status !== 404) throw err;
        roleSettings = await tryRead('securityroles');
      }
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || (err.status !== 403 && err.status !== 404)) throw err;
      const mine = await mySecurity(signal);
      const covered = Array.isArray(mine);
      const message =
        err.status === 403
          ? `Forbidden: the role "${m.securityRole?.name ?? roleId}" cannot be read.`
          : `The role "${m.securityRole?.name ?? roleId}" was not found.`;
      return {
        status: covered ? 'warning' : 'failed',
        message: covered ? `${message} The rights were read through system/mySecurity instead.` : message,
        fix: 'Forbidden: give the role System › Security Roles › Inquire = All (' + pathOf('security_roles') + ').',
      };
    }
    return { status: 'ok', message: `Read the role "${m.securityRole?.name ?? roleId}" (${roleSettings.length} rows).` };
  });

  // --- permissions: the role row by row, and a probe of each endpoint the pod uses -----------
  await step(
    'permissions',
    async (signal) => {
      let settings: RoleSetting[] | null = roleSettings;
      let source = 'from the role’s settings and probes';
      const mine = await mySecurity(signal);
      const mySecurityAnswered = Array.isArray(mine);
      if (settings === null) {
        if (Array.isArray(mine)) {
          settings = mine;
          source = 'from system/mySecurity and probes';
        } else source = 'from probes only';
      }
      const probes = await probeAll(api, podPermissions, signal);
      const verdicts = judgePermissions(podPermissions, settings, probes, { mySecurityAnswered });
      const result = permissionsStep(verdicts, source);
      return { status: result.status, message: result.message, fix: result.fix, ...(result.missing ? { missing: result.missing } : {}) };
    },
    { budgetMs: timeoutMs * 3 },
  );

  // --- boards ----------------------------------------------------------------------------------
  await step('boards', async (signal) => {
    try {
      const boards = await api.get('service/boards', Boards, { signal, searchParams: { fields: 'id,name,inactiveFlag', pageSize: '1000' } });
      const active = boards.filter((b) => !b.inactiveFlag);
      if (boards.length === 0) {
        return {
          status: 'warning',
          message: 'The API member sees no service boards.',
          fix: `Give the role ${pathOf('table_setup')}, and check the API member’s board restrictions.`,
        };
      }
      const unknown = tenant.boardIds.filter((id) => !boards.some((b) => b.id === id));
      const names = active.slice(0, 8).map((b) => b.name).join(', ');
      const more = active.length > 8 ? ` and ${active.length - 8} more` : '';
      if (unknown.length > 0) {
        return {
          status: 'warning',
          message: `The API member sees ${active.length} active boards (${names}${more}), but not board ${unknown.join(', ')} from this tenant’s board filter.`,
          fix: 'Remove those boards from the filter, or let the API member see them.',
        };
      }
      return { status: 'ok', message: `The API member sees ${active.length} active boards: ${names}${more}.` };
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || err.status !== 403) throw err;
      return {
        status: 'warning',
        message: 'Forbidden: the API member may not list service boards (the board filter needs board ids typed by hand).',
        fix: `Give the role ${pathOf('table_setup')}.`,
      };
    }
  }, { manualCheck: 'Check in ConnectWise (Service › Service Board) which boards the API member can see.' });

  // --- the registered pod ------------------------------------------------------------------------
  const want = hostedApiValues(deps.publicUrl, tenant.companyId);
  const entry = `Description "${want.description}", Screen "${want.screen}", Origin ${want.origin}, URL ${want.url}, Pod, Pod Height ${want.podHeight}`;
  const byHand = `Click "Register in ConnectWise", or add it in System › Setup Tables › Manage Hosted API: ${entry}.`;
  const registrationByHand = `Check in System › Setup Tables › Manage Hosted API that the pod has one entry: ${entry}.`;
  await step('pod_registration', async (signal) => {
    let setups;
    try {
      setups = await api.get('system/connectwisehostedsetups', HostedSetups, { signal, searchParams: { pageSize: '1000' } });
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || err.status !== 403) throw err;
      return {
        status: 'warning',
        message: 'Forbidden: the API member may not read the Manage Hosted API table, so the pod’s registration was not checked.',
        fix: `Give the role ${pathOf('hosted_api_inquire')}, or check the entry by hand.`,
      };
    }
    const ours = setups.filter((s) => s.url && isOurPodUrl(s.url, deps.publicUrl, tenant.companyId));
    if (ours.length === 0) {
      return { status: 'warning', message: `The pod is not registered in ConnectWise for ${want.origin}.`, fix: byHand };
    }
    const s = ours[0]!;
    const problems: string[] = [];
    if ((s.type ?? '').toLowerCase() !== 'pod') problems.push(`it is a "${s.type ?? '?'}", not a Pod`);
    if (s.origin !== want.origin) problems.push(`its Origin is "${s.origin ?? ''}", not ${want.origin}`);
    if (s.podHeight !== want.podHeight) problems.push(`its Pod Height is ${s.podHeight ?? 'empty'}, not ${want.podHeight}`);
    if (!(s.url ?? '').includes('[cw_id]')) problems.push('its URL lacks [cw_id], so the pod cannot know the ticket before ConnectWise says so');
    if (s.disabledFlag) problems.push('it is disabled');
    if (problems.length > 0) {
      return {
        status: 'warning',
        message: `The pod is registered (entry ${s.id}), but ${problems.join('; ')}.`,
        fix: 'Click "Register in ConnectWise" to correct it, or edit the entry in System › Setup Tables › Manage Hosted API.',
      };
    }
    const extra = ours.length > 1 ? ` ${ours.length - 1} more entries point at this pod; delete the duplicates in System › Setup Tables › Manage Hosted API.` : '';
    return {
      status: extra ? 'warning' : 'ok',
      message: `The pod is registered (entry ${s.id}, Origin ${want.origin}, Pod Height ${want.podHeight}).${extra}`,
      fix: extra ? 'Delete the duplicate entries.' : '',
    };
  }, { manualCheck: registrationByHand });

  return finish();
}

/**
 * DNS and TLS failures seen from the pod server: they name the host, and say that the
 * server's own network (resolver, firewall, a TLS-inspecting proxy) may be the cause, since
 * the admin's browser may reach the same site fine. Saving stays possible ("Save anyway").
 */
function unreachableFromServer(err: ConnectWiseUnreachableError, apiHost: string, typed: string): StepOutcome | null {
  const suggestion = cloudLookAlike(typed);
  const typo = suggestion !== null ? `Did you mean ${suggestion}? ` : 'Check the site for typos. ';
  const network = 'If the address is right, the pod server’s own network may be the cause';
  switch (err.reason) {
    case 'dns':
      return {
        status: 'failed',
        message: `DNS: the pod server could not resolve the host name ${apiHost}.`,
        fix: `${typo}${network} (its DNS resolver, or a firewall or proxy between it and ConnectWise). You can save anyway and run the test again once the server can resolve ${apiHost}.`,
        halt: true,
      };
    case 'tls':
      return {
        status: 'failed',
        message: `TLS: ${apiHost} answered, but the pod server could not verify its certificate (self-signed, expired, for another name, or replaced by a proxy).`,
        fix: `${network} (a proxy that inspects TLS), or ${apiHost} needs a valid certificate from a public certificate authority matching its name. You can save anyway and run the test again later.`,
        halt: true,
      };
    case 'network':
      return {
        status: 'failed',
        message: `Connection: the pod server could not reach ${apiHost} (refused, reset or no route).`,
        fix: `Check the site and port. ${network} (a firewall between it and ConnectWise). You can save anyway and run the test again later.`,
        halt: true,
      };
    default:
      return null;
  }
}

/** ConnectWise answered 404 to an endpoint this version does not have (connectwise.md §8). */
function isMissingEndpoint(err: unknown): err is ConnectWiseHttpError {
  return err instanceof ConnectWiseHttpError && err.status === 404;
}

/** A step whose endpoint this ConnectWise lacks: a warning with the check to do by hand, never a failure. */
function notOnThisVersion(id: StepId, err: ConnectWiseHttpError, manualCheck: string | undefined): StepOutcome {
  return {
    status: 'warning',
    message: `“${stepWords[id].label}” could not be checked on this ConnectWise version: it answered 404 (the endpoint does not exist) for ${err.endpoint}.${cwSaid(err)}`,
    fix: manualCheck ?? 'Check this by hand in ConnectWise.',
  };
}

async function succeeds(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (err instanceof ConnectWiseHttpError) return false;
    throw err;
  }
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
    return null;
  } catch (err) {
    return err;
  }
}

/** Runs each permission's probe GET; `{ticketId}` is filled with any ticket the member sees. */
export async function probeAll(
  api: { get: (path: string, schema: typeof Anything | typeof TicketIds, opts: { signal: AbortSignal; searchParams?: Record<string, string> }) => Promise<unknown> },
  permissions: readonly PodPermission[],
  signal: AbortSignal,
): Promise<Map<string, ProbeOutcome>> {
  const out = new Map<string, ProbeOutcome>();
  let ticketId: number | null | undefined;
  for (const p of permissions) {
    if (p.probe === null) continue;
    let path = p.probe.path;
    if (path.includes('{ticketId}')) {
      if (ticketId === undefined) {
        try {
          const tickets = (await api.get('service/tickets', TicketIds, { signal, searchParams: { pageSize: '1', fields: 'id' } })) as { id: number }[];
          ticketId = tickets[0]?.id ?? null;
        } catch (err) {
          if (!(err instanceof ConnectWiseHttpError) || err.status >= 500 || err.status === 429) throw err;
          ticketId = null;
        }
      }
      if (ticketId === null) {
        out.set(p.id, 'not_run');
        continue;
      }
      path = path.replace('{ticketId}', String(ticketId));
    }
    try {
      await api.get(path, Anything, { signal, searchParams: p.probe.searchParams });
      out.set(p.id, 'ok');
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError)) throw err;
      if (err.status === 429 || err.status >= 500) throw err;
      out.set(p.id, err.status === 403 ? 'forbidden' : 'inconclusive');
    }
  }
  return out;
}
