import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConnectWise, type TenantConnection } from '../../../server/connectwise/connectwise.ts';
import { BlockedAddressError } from '../../../server/connectwise/errors/BlockedAddressError.ts';
import { SystemInfo } from '../../../server/connectwise/schemas/system-info.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import { demoApiMember, demoClientId, demoCompanyId } from '../../../server/simulated-connectwise/demo.ts';
import type { ConnectWiseSite } from '../../../shared/connectwise-sites.ts';

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
const clientIds: (string | null)[] = [];
beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' });
  server.events.on('request:start', (event) => {
    if (event.request.url.includes('/apis/3.0/')) clientIds.push(event.request.headers.get('clientid'));
  });
});
afterEach(() => {
  server.resetHandlers();
  sim.reset();
  clientIds.length = 0;
});
afterAll(() => server.close());

const site: ConnectWiseSite = {
  uiOrigin: 'https://cw.demo-msp.example',
  apiOrigin: 'https://cw.demo-msp.example',
  region: null,
  kind: 'on-premise',
};
const demo: TenantConnection = {
  companyId: demoCompanyId,
  site,
  publicKey: demoApiMember.publicKey,
  privateKey: demoApiMember.privateKey,
  clientId: '',
};

describe('createConnectWise', () => {
  it('sends the default clientId when the tenant has none, and the tenant\'s own when it has one', async () => {
    const cw = createConnectWise({ allowPrivateNetwork: false, defaultClientId: demoClientId });
    try {
      await cw.api(demo).get('system/info', SystemInfo);
      await cw
        .api({ ...demo, clientId: 'tenant-own-client-id' })
        .get('system/info', SystemInfo)
        .catch(() => undefined);
      expect(clientIds).toEqual([demoClientId, 'tenant-own-client-id']);
    } finally {
      await cw.close();
    }
  });

  it('reads companyinfo once per company and site', async () => {
    const cw = createConnectWise({ allowPrivateNetwork: false, defaultClientId: demoClientId });
    try {
      const first = await cw.companyInfo(site, demoCompanyId);
      expect(first).toMatchObject({ Codebase: 'v4_6_release/', IsCloud: false });
      await cw.companyInfo(site, 'DEMO');
      await cw.api(demo).apiBase();
      expect(sim.calls.count({ path: '/login/companyinfo/*' })).toBe(1);
    } finally {
      await cw.close();
    }
  });

  it('checks both hosts of a site when saving, with the injected resolver', async () => {
    const resolved: string[] = [];
    const cw = createConnectWise({
      allowPrivateNetwork: false,
      lookup: async (host) => {
        resolved.push(host);
        return host.startsWith('api-') ? [{ address: '10.0.0.7', family: 4 }] : [{ address: '93.184.215.14', family: 4 }];
      },
    });
    try {
      const cloud: ConnectWiseSite = {
        uiOrigin: 'https://na.myconnectwise.net',
        apiOrigin: 'https://api-na.myconnectwise.net',
        region: 'na',
        kind: 'cloud',
      };
      const err = await cw.assertSiteAllowed(cloud).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlockedAddressError);
      expect((err as Error).message).toBe(
        'api-na.myconnectwise.net resolves to 10.0.0.7, a private address; set ALLOW_PRIVATE_NETWORK=true only for development.',
      );
      expect(resolved).toEqual(['na.myconnectwise.net', 'api-na.myconnectwise.net']);
    } finally {
      await cw.close();
    }
  });

  it('exempts an allowed origin at save time and nothing else', async () => {
    const cw = createConnectWise({ allowPrivateNetwork: false, allowedOrigins: ['http://127.0.0.1:4100/'] });
    try {
      const local = (origin: string): ConnectWiseSite => ({ uiOrigin: origin, apiOrigin: origin, region: null, kind: 'on-premise' });
      await expect(cw.assertSiteAllowed(local('http://127.0.0.1:4100'))).resolves.toBeUndefined();
      await expect(cw.assertSiteAllowed(local('http://127.0.0.1:4101'))).rejects.toBeInstanceOf(BlockedAddressError);
    } finally {
      await cw.close();
    }
  });
});
