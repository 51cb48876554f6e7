import type { ConnectWiseSite } from '../../shared/connectwise-sites.ts';
import type { TenantConnection } from '../../server/connectwise/connectwise.ts';
import { cloudInstance, demoApiMember, demoClientId, demoCompanyId } from '../../server/simulated-connectwise/demo.ts';

/**
 * How the server reaches the simulated ConnectWise's instances in msw-backed tests: the demo
 * instance as an on-premise site (it answers on any host), the EU cloud instance on its
 * real region hosts.
 */
export const demoSite: ConnectWiseSite = {
  uiOrigin: 'https://cw.demo-msp.example',
  apiOrigin: 'https://cw.demo-msp.example',
  region: null,
  kind: 'on-premise',
};

export const demoConnection: TenantConnection = {
  companyId: demoCompanyId,
  site: demoSite,
  publicKey: demoApiMember.publicKey,
  privateKey: demoApiMember.privateKey,
  clientId: demoClientId,
};

export const northwindConnection: TenantConnection = {
  companyId: cloudInstance.companyId,
  site: { uiOrigin: 'https://eu.myconnectwise.net', apiOrigin: 'https://api-eu.myconnectwise.net', region: 'eu', kind: 'cloud' },
  publicKey: cloudInstance.apiMember.publicKey,
  privateKey: cloudInstance.apiMember.privateKey,
  clientId: demoClientId,
};
