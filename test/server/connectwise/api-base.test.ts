import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiOriginFor, basesFor, createDiscovery } from '../../../server/connectwise/api-base.ts';
import { createGuardedDispatcher } from '../../../server/connectwise/network-guard.ts';
import { CompanyInfo } from '../../../server/connectwise/schemas/company-info.ts';
import { createTransport } from '../../../server/connectwise/transport.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import { cloudInstance, demoCompanyId } from '../../../server/simulated-connectwise/demo.ts';
import { normaliseSite, type ConnectWiseSite } from '../../../shared/connectwise-sites.ts';

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  sim.reset();
});
afterAll(() => server.close());

const dispatcher = createGuardedDispatcher({ allowPrivateNetwork: true, allowedOrigins: [], lookup: async () => [] });
afterAll(() => dispatcher.close());
const transport = createTransport({ dispatcher, timeoutMs: 1000, totalTimeoutMs: 2000, maxRetryAfterMs: 10 });

function site(input: string): ConnectWiseSite {
  const result = normaliseSite(input);
  if (!result.ok) throw new Error(result.message);
  return result.site;
}

const onPrem = site('https://cw.demo-msp.example');
const cloudEu = site('eu.myconnectwise.net');
const info = (raw: unknown) => CompanyInfo.parse(raw);

describe('the API base rule', () => {
  it('keeps the host of an on-premise site', () => {
    expect(basesFor(onPrem, info({ Codebase: 'v4_6_release/', IsCloud: false, SiteUrl: 'cw.demo-msp.example' }))).toMatchObject({
      api: 'https://cw.demo-msp.example/v4_6_release/apis/3.0',
      ui: 'https://cw.demo-msp.example/v4_6_release/apis/3.0',
    });
  });

  it('uses the api- host for cloud, with the codebase companyinfo gave', () => {
    expect(basesFor(cloudEu, info({ Codebase: 'v2025_1/', IsCloud: true, SiteUrl: 'api-eu.myconnectwise.net' }))).toMatchObject({
      api: 'https://api-eu.myconnectwise.net/v2025_1/apis/3.0',
      ui: 'https://eu.myconnectwise.net/v2025_1/apis/3.0',
    });
  });

  it('accepts IsCloud as a string', () => {
    expect(info({ Codebase: 'v4_6_release/', IsCloud: 'False' }).IsCloud).toBe(false);
    expect(info({ Codebase: 'v2025_1/', IsCloud: 'True' }).IsCloud).toBe(true);
    expect(apiOriginFor(onPrem, info({ Codebase: 'v4_6_release/', IsCloud: 'False', SiteUrl: 'api-na.myconnectwise.net' }))).toBe(
      'https://cw.demo-msp.example',
    );
  });

  it('treats a codebase other than v4_6_release/ as cloud when IsCloud is missing', () => {
    expect(apiOriginFor(site('na.myconnectwise.net'), info({ Codebase: 'v2025_1/' }))).toBe('https://api-na.myconnectwise.net');
  });

  it('never believes a SiteUrl that names an arbitrary host', () => {
    expect(apiOriginFor(cloudEu, info({ Codebase: 'v2025_1/', IsCloud: true, SiteUrl: 'attacker.example' }))).toBe(
      'https://api-eu.myconnectwise.net',
    );
    expect(apiOriginFor(cloudEu, info({ Codebase: 'v2025_1/', IsCloud: true, SiteUrl: 'api-na.myconnectwise.net' }))).toBe(
      'https://api-na.myconnectwise.net',
    );
  });

  it('refuses a codebase that is not one safe path segment', () => {
    expect(CompanyInfo.safeParse({ Codebase: '../evil/' }).success).toBe(false);
    expect(CompanyInfo.safeParse({ Codebase: 'a/b/' }).success).toBe(false);
    expect(info({ Codebase: 'v2025_1' }).Codebase).toBe('v2025_1/');
  });
});

describe('discovery against the simulated ConnectWise', () => {
  it('reads companyinfo from the UI host once and serves the base from cache afterwards', async () => {
    const discovery = createDiscovery({ transport });
    const bases = await discovery.bases(cloudEu, cloudInstance.companyId);
    expect(bases).toMatchObject({
      api: `https://${cloudInstance.apiHost}/${cloudInstance.codebase}apis/3.0`,
      discovered: true,
    });
    await discovery.bases(cloudEu, cloudInstance.companyId);
    await discovery.companyInfo(cloudEu, cloudInstance.companyId);
    expect(sim.calls.list({ path: '/login/companyinfo/*' }).map((c) => c.host)).toEqual([cloudInstance.uiHost]);
  });

  it('shares one companyinfo call between concurrent callers and re-reads it when asked for fresh data', async () => {
    const discovery = createDiscovery({ transport });
    await Promise.all([discovery.bases(onPrem, demoCompanyId), discovery.bases(onPrem, demoCompanyId)]);
    expect(sim.calls.count({ path: '/login/companyinfo/*' })).toBe(1);
    await discovery.companyInfo(onPrem, demoCompanyId, { fresh: true });
    expect(sim.calls.count({ path: '/login/companyinfo/*' })).toBe(2);
  });

  it('keys the cache by company and site', async () => {
    const discovery = createDiscovery({ transport });
    await discovery.bases(onPrem, demoCompanyId);
    await discovery.bases(site('https://other.demo-msp.example'), demoCompanyId);
    expect(sim.calls.count({ path: '/login/companyinfo/*' })).toBe(2);
  });

  it('falls back to v4_6_release/ for an on-premise site whose companyinfo is a login page', async () => {
    sim.faults.set({ kind: 'html-login', path: '/login/companyinfo/*' });
    const discovery = createDiscovery({ transport });
    expect(await discovery.bases(onPrem, demoCompanyId)).toEqual({
      api: 'https://cw.demo-msp.example/v4_6_release/apis/3.0',
      ui: 'https://cw.demo-msp.example/v4_6_release/apis/3.0',
      codebase: 'v4_6_release/',
      discovered: false,
    });
  });

  it('does not guess a cloud codebase: a cloud site with a broken companyinfo fails', async () => {
    sim.faults.set({ kind: 'html-login', path: '/login/companyinfo/*' });
    const discovery = createDiscovery({ transport });
    await expect(discovery.bases(cloudEu, cloudInstance.companyId)).rejects.toMatchObject({ reason: 'not_json' });
  });

  it('does not fall back when the site cannot be reached at all, and does not cache the failure', async () => {
    sim.faults.set({ kind: 'reset', path: '/login/companyinfo/*', count: 3 });
    const discovery = createDiscovery({ transport });
    await expect(discovery.bases(onPrem, demoCompanyId)).rejects.toMatchObject({ reason: 'network' });
    await expect(discovery.bases(onPrem, demoCompanyId)).resolves.toMatchObject({ discovered: true });
  });

  it('reports an unknown company (companyinfo answers null) as bad_shape on cloud', async () => {
    const discovery = createDiscovery({ transport });
    await expect(discovery.companyInfo(cloudEu, 'nosuchcompany')).rejects.toMatchObject({ reason: 'bad_shape' });
  });

  it('parses IsCloud sent as a string by an emulated companyinfo', async () => {
    server.use(
      http.get('https://cw.demo-msp.example/login/companyinfo/*', () =>
        HttpResponse.json({ Codebase: 'v4_6_release/', IsCloud: 'False', SiteUrl: 'cw.demo-msp.example' }),
      ),
    );
    const discovery = createDiscovery({ transport });
    expect((await discovery.companyInfo(onPrem, demoCompanyId)).IsCloud).toBe(false);
  });
});
