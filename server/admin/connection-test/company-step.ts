import { cloudRegions, regionOfHost, type RegionId } from '../../../shared/connectwise-sites.ts';
import type { Step } from './step.ts';

const regionLabel = (id: RegionId) => cloudRegions.find((r) => r.id === id);

/** The company ID is known there, and in the tenant's region (from the site step's companyinfo). */
export const companyStep: Step = {
  id: 'company',
  async run({ tenant, host, found }) {
    const info = found.companyInfo;
    if (info === null) {
      if (tenant.site.kind === 'on-premise') {
        // A reverse proxy may expose only the API; the client then assumes v4_6_release/.
        return {
          status: 'warning',
          message: `${host} did not confirm the company id "${tenant.companyId}" (login/companyinfo: ${found.companyProblem ?? 'no answer'}); assuming the on-premise codebase v4_6_release/.`,
          fix: 'If the next step fails, check the company id (the "Company" field on ConnectWise’s sign-in page).',
        };
      }
      return {
        status: 'failed',
        message: `${host} does not know the company id "${tenant.companyId}" (${found.companyProblem ?? 'no answer'}).`,
        fix: 'Enter the company id you type on ConnectWise’s sign-in page (the "Company" field), and check the region.',
        halt: true,
      };
    }
    const siteHost = (info.SiteUrl ?? '').replace(/^https?:\/\//i, '').replace(/[/:].*$/, '');
    const infoRegion = siteHost ? regionOfHost(siteHost) : null;
    found.server = {
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
  },
};
