import { cloudLookAlike, cloudRegions, normaliseSite } from '../../shared/connectwise-sites.ts';

/**
 * The Region select and the site field agree with each other (issue 11 item 6): the region
 * follows what is typed or pasted, the site follows a region picked. Pure, so the editor
 * stays a view.
 */

/** The select's value for an on-premise server. */
export const ON_PREMISE = 'onprem';

/** What an on-premise site looks like (the field's placeholder and hint). */
export const onPremiseExample = 'https://cw.yourcompany.com';

/** The region the select should show for a typed site, or null to leave it as it is. */
export function regionForSite(site: string): string | null {
  if (site.trim() === '') return null;
  const result = normaliseSite(site);
  if (!result.ok) return null;
  if (result.site.kind === 'on-premise') return ON_PREMISE;
  return result.site.region;
}

/**
 * The site once a region is picked: the region's own address for a cloud region; for
 * On-premise, what was typed, unless it is a cloud address (which cannot be on-premise).
 */
export function siteForRegion(region: string, site: string): string {
  const cloud = cloudRegions.find((r) => r.id === region);
  if (cloud !== undefined) return `https://${cloud.uiHost}`;
  const result = normaliseSite(site);
  return result.ok && result.site.kind === 'cloud' ? '' : site;
}

/** The line under the site field: both origins, or what is wrong, in the region's terms. */
export function siteHint(region: string, site: string): string {
  if (site.trim() === '' && region === ON_PREMISE) return `Enter your ConnectWise server's address, e.g. ${onPremiseExample}.`;
  const result = normaliseSite(site);
  return result.ok ? `Web UI ${result.site.uiOrigin} · REST API ${result.site.apiOrigin}` : result.message;
}

/** "Did you mean https://na.myconnectwise.net?" for a cloud host typed on the wrong domain. */
export const siteSuggestion = (site: string): string | null => cloudLookAlike(site);
