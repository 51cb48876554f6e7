import type { PodPermission } from '../../../shared/pod-permissions.ts';
import { podPermissions } from '../../../shared/pod-permissions.ts';
import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { Anything, TicketIds, type RoleSetting } from '../cw-schemas.ts';
import { judgePermissions, permissionsStep as describePermissions, type ProbeOutcome } from '../permission-check.ts';
import type { Step } from './step.ts';

/** The role has every permission the pod needs: its rows, and a probe of each endpoint the pod uses. */
export const permissionsStep: Step = {
  id: 'permissions',
  budgetMs: (ctx) => ctx.timeoutMs * 3,
  async run(ctx, signal) {
    let settings: RoleSetting[] | null = ctx.found.roleSettings;
    let source = 'from the role’s settings and probes';
    const mine = await ctx.mySecurity(signal);
    const mySecurityAnswered = Array.isArray(mine);
    if (settings === null) {
      if (Array.isArray(mine)) {
        settings = mine;
        source = 'from system/mySecurity and probes';
      } else source = 'from probes only';
    }
    const probes = await probeAll(ctx.api, podPermissions, signal);
    const verdicts = judgePermissions(podPermissions, settings, probes, { mySecurityAnswered });
    const result = describePermissions(verdicts, source);
    return { status: result.status, message: result.message, fix: result.fix, ...(result.missing ? { missing: result.missing } : {}) };
  },
};

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
