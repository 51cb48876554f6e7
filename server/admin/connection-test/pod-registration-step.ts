import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { HostedSetups } from '../cw-schemas.ts';
import { hostedApiValues, isOurPodUrl } from '../hosted-api-values.ts';
import { pathOf, type Step, type StepContext } from './step.ts';

/** The Manage Hosted API entry the pod needs, as the admin would type it. */
function wanted(ctx: StepContext) {
  const want = hostedApiValues(ctx.deps.publicUrl, ctx.tenant.companyId);
  const entry = `Description "${want.description}", Screen "${want.screen}", Origin ${want.origin}, URL ${want.url}, Pod, Pod Height ${want.podHeight}`;
  return { want, entry };
}

/** The pod is registered in Manage Hosted API, with the right type, origin, height and URL. */
export const podRegistrationStep: Step = {
  id: 'pod_registration',
  manualCheck: (ctx) => `Check in System › Setup Tables › Manage Hosted API that the pod has one entry: ${wanted(ctx).entry}.`,
  async run(ctx, signal) {
    const { api, deps, tenant } = ctx;
    const { want, entry } = wanted(ctx);
    const byHand = `Click "Register in ConnectWise", or add it in System › Setup Tables › Manage Hosted API: ${entry}.`;
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
  },
};
