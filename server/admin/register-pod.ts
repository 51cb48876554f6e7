import type { RegisterPodResult } from '../../shared/admin-api.ts';
import { podPermissions } from '../../shared/pod-permissions.ts';
import type { ConnectWise } from '../connectwise/connectwise.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import type { Logger } from '../logger.ts';
import { tenantConnection } from '../tenant-connection.ts';
import type { Tenant } from '../tenants/tenant.ts';
import { HostedScreens, HostedSetup, HostedSetups, Report } from './cw-schemas.ts';
import { cwSaid, mentionsClientId } from '../connectwise/errors/classify-failure.ts';
import { hostedApiValues, isOurPodUrl } from './hosted-api-values.ts';
import { isHttpsOrigin } from '../../shared/public-url.ts';
import { normaliseName } from './permission-check.ts';

export type RegisterPodDeps = {
  connectwise: ConnectWise;
  publicUrl: string;
  /** ALLOW_PRIVATE_NETWORK (or demo mode): a local test may register an http origin. */
  allowInsecureOrigin?: boolean;
  defaultClientId?: string | undefined;
  logger?: Logger | undefined;
  timeoutMs?: number;
};

type Api = ReturnType<ConnectWise['api']>;

const writePath = podPermissions.find((p) => p.id === 'hosted_api_write')?.uiPath ?? 'System › Manage Hosted API › Add/Edit';
const readPath = podPermissions.find((p) => p.id === 'hosted_api_inquire')?.uiPath ?? 'System › Manage Hosted API › Inquire';

const SERVICE_TICKET = 'serviceticket';

function asScreenId(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  return null;
}

/** Reads a ConnectWise report's rows as objects keyed by column name. */
export function reportRows(report: Report): Record<string, unknown>[] {
  const columns = report.column_definitions.map((def) => Object.keys(def)[0] ?? '');
  return report.row_values.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
}

/**
 * The Service Ticket screen's id, looked up by name (ids may differ between tenants:
 * docs/connectwise.md §5.4, §7 #11): `system/connectWiseHostedScreens` first, then the older
 * `ConnectWiseHostedApiScreen` report.
 */
export async function findServiceTicketScreen(api: Api, signal: AbortSignal): Promise<number> {
  const refusals: ConnectWiseHttpError[] = [];
  try {
    const screens = await api.get('system/connectWiseHostedScreens', HostedScreens, { signal, searchParams: { pageSize: '1000' } });
    const hit = screens.find((s) => normaliseName(s.name ?? '') === SERVICE_TICKET);
    if (hit) {
      const id = asScreenId(hit.screenId) ?? hit.id;
      return id;
    }
  } catch (err) {
    if (!(err instanceof ConnectWiseHttpError) || (err.status !== 403 && err.status !== 404)) throw err;
    refusals.push(err);
  }
  try {
    const report = await api.get('system/reports/ConnectWiseHostedApiScreen', Report, { signal });
    for (const row of reportRows(report)) {
      if (normaliseName(String(row.Client_Api_ID ?? '')) === SERVICE_TICKET) {
        const id = asScreenId(row.Presenter_Identifier_Client_Api_RecID);
        if (id !== null) return id;
      }
    }
  } catch (err) {
    if (!(err instanceof ConnectWiseHttpError) || (err.status !== 403 && err.status !== 404)) throw err;
    refusals.push(err);
  }
  if (refusals.some((e) => e.status === 403)) {
    throw new ApiError(
      'forbidden',
      `ConnectWise would not list its Hosted API screens (403 Forbidden). Give the API member's role ${readPath}, or register the pod by hand.`,
    );
  }
  throw new ApiError('not_found', 'ConnectWise lists no "Service Ticket" screen for the Hosted API, so the pod cannot be registered automatically. Register it by hand in System › Setup Tables › Manage Hosted API.');
}


/**
 * Creates or corrects the pod's entry in System › Setup Tables › Manage Hosted API through
 * `system/connectwisehostedsetups`. Idempotent: it finds its own entry (this server's pod
 * URL for this company) and updates it, or answers `unchanged`; it never adds a second one.
 * A description the admin changed by hand is kept.
 */
export async function registerPod(deps: RegisterPodDeps, tenant: Tenant): Promise<RegisterPodResult> {
  const conn = tenantConnection(tenant, deps.defaultClientId);
  const api = deps.connectwise.api(conn);
  const signal = AbortSignal.timeout(deps.timeoutMs ?? 30_000);
  const values = hostedApiValues(deps.publicUrl, tenant.companyId);
  // An http Origin would register a pod no technician's browser loads (issue 11 item 7).
  if (!isHttpsOrigin(values.origin) && deps.allowInsecureOrigin !== true) {
    throw new ApiError(
      'validation_failed',
      `The pod's Origin ${values.origin} is not https, so ConnectWise's https pages could not show it: nothing was registered. Set PUBLIC_URL to this server's public https address and restart it (a local test server may run with ALLOW_PRIVATE_NETWORK=true).`,
      { fields: [{ path: 'PUBLIC_URL', message: `${values.origin} is not https` }] },
    );
  }

  try {
    const screenId = await findServiceTicketScreen(api, signal);
    let setups;
    try {
      setups = await api.get('system/connectwisehostedsetups', HostedSetups, { signal, searchParams: { pageSize: '1000' } });
    } catch (err) {
      if (err instanceof ConnectWiseHttpError && err.status === 403) {
        throw new ApiError('forbidden', `ConnectWise would not list the Manage Hosted API entries (403 Forbidden). Give the API member's role ${readPath}.`);
      }
      throw err;
    }
    const existing = setups.filter((s) => s.url && isOurPodUrl(s.url, deps.publicUrl, tenant.companyId)).sort((a, b) => a.id - b.id)[0];
    const desired = { screenId, url: values.url, type: 'Pod', origin: values.origin, podHeight: values.podHeight };

    // Saves once; if ConnectWise's validation asks for a clientId, once more with ours (§7 #11).
    const save = async (write: (body: Record<string, unknown>) => Promise<unknown>, body: Record<string, unknown>) => {
      try {
        return await write(body);
      } catch (err) {
        if (err instanceof ConnectWiseHttpError && err.status === 400 && mentionsClientId(err) && conn.clientId !== '') {
          return await write({ ...body, clientId: conn.clientId });
        }
        throw err;
      }
    };

    if (existing !== undefined) {
      const same =
        existing.screenId === desired.screenId &&
        existing.url === desired.url &&
        (existing.type ?? '').toLowerCase() === 'pod' &&
        existing.origin === desired.origin &&
        existing.podHeight === desired.podHeight &&
        !existing.disabledFlag;
      if (same) return { action: 'unchanged', setupId: existing.id, screenId, values };
      const { id, _info, createdBy, dateCreated, ...rest } = existing as Record<string, unknown> & { id: number };
      void _info;
      void createdBy;
      void dateCreated;
      const body = { ...rest, ...desired, description: existing.description || values.description, disabledFlag: false };
      await save((b) => api.put(`system/connectwisehostedsetups/${id}`, b, HostedSetup, { signal }), body);
      deps.logger?.info({ companyId: tenant.companyId, setupId: id }, 'pod registration updated in ConnectWise');
      return { action: 'updated', setupId: id, screenId, values };
    }
    const created = (await save(
      (b) => api.post('system/connectwisehostedsetups', b, HostedSetup, { signal }),
      { ...desired, description: values.description },
    )) as HostedSetup;
    deps.logger?.info({ companyId: tenant.companyId, setupId: created.id }, 'pod registered in ConnectWise');
    return { action: 'created', setupId: created.id, screenId, values };
  } catch (err) {
    if (err instanceof ConnectWiseHttpError && err.status === 403) {
      throw new ApiError(
        'forbidden',
        `ConnectWise refused to save the pod's entry (403 Forbidden): give the API member's role System › Manage Hosted API › Add/Edit (${writePath}), or register the pod by hand with the values shown.${cwSaid(err)}`,
        { cause: err },
      );
    }
    if (err instanceof ConnectWiseHttpError && err.status === 400) {
      const fields = err.cwErrors.map((e) => e.field).filter(Boolean).join(', ');
      throw new ApiError(
        'bad_request',
        `ConnectWise did not accept the pod's entry (400${fields ? `: ${fields}` : ''}).${cwSaid(err)} Register it by hand with the values shown.`,
        { status: 502, cause: err },
      );
    }
    throw err;
  }
}
