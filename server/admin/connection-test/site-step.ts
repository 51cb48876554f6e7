import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from '../../connectwise/errors/ConnectWiseUnreachableError.ts';
import { ConnectWiseUnusableAnswerError } from '../../connectwise/errors/ConnectWiseUnusableAnswerError.ts';
import { unreachableFromServer } from './outcomes.ts';
import type { Step } from './step.ts';

/**
 * The site answers: one companyinfo call (read again by the company step). DNS, TLS and
 * connection failures name the host; an answer that is only wrong for the company is the
 * company step's business.
 */
export const siteStep: Step = {
  id: 'site',
  async run({ deps, tenant, host, apiHost, found }, signal) {
    const scheme = tenant.site.uiOrigin.startsWith('https:') ? 'HTTPS (DNS and TLS fine)' : 'HTTP';
    const onPremise = tenant.site.kind === 'on-premise';
    try {
      // The network guard resolves the name first: a DNS failure is told apart from a site that answers badly.
      await deps.connectwise.assertSiteAllowed(tenant.site);
      found.companyInfo = await deps.connectwise.companyInfo(tenant.site, tenant.companyId, { fresh: true, signal });
      return { status: 'ok', message: `${host} answered over ${scheme}.` };
    } catch (err) {
      if (err instanceof ConnectWiseHttpError && err.status < 500 && err.status !== 429) {
        found.companyProblem = `HTTP ${err.status}`;
        return { status: 'ok', message: `${host} answered over ${scheme} (HTTP ${err.status} for the company).` };
      }
      // An unknown company may get a JSON null (or empty fields): the site is fine.
      if (err instanceof ConnectWiseUnusableAnswerError && err.reason === 'bad_shape') {
        found.companyProblem = 'no company information came back';
        return { status: 'ok', message: `${host} answered over ${scheme}.` };
      }
      if (onPremise && err instanceof ConnectWiseUnusableAnswerError && (err.reason === 'not_json' || err.reason === 'malformed_json')) {
        found.companyProblem = 'not ConnectWise’s company information';
        return { status: 'ok', message: `${host} answered over ${scheme}.` };
      }
      const fromHere = err instanceof ConnectWiseUnreachableError ? unreachableFromServer(err, apiHost, tenant.siteInput) : null;
      if (fromHere !== null) return fromHere;
      throw err;
    }
  },
};
