import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionTestResult, type ConnectionTestStep, type StepId } from '../../../shared/admin-api.ts';
import { podPermissions } from '../../../shared/pod-permissions.ts';
import type { Level, SecurityRole } from '../../../server/simulated-connectwise/index.ts';
import {
  cloudInstance,
  demoApiMember,
  demoInactiveMember,
  demoLimitedApiMember,
} from '../../../server/simulated-connectwise/demo.ts';
import { demoTenantInput, startAdminHarness, type AdminHarness } from './support.ts';

/**
 * The connection test against the simulated ConnectWise: every failure shows up in its own
 * step with a fix, later steps are skipped after a blocking failure, and nothing is written.
 */

const pathOf = (id: string) => podPermissions.find((p) => p.id === id)!.uiPath;

function stepsOf(result: ConnectionTestResult): Record<StepId, ConnectionTestStep> {
  return Object.fromEntries(result.steps.map((s) => [s.id, s])) as Record<StepId, ConnectionTestStep>;
}

function podRole(h: AdminHarness, roleId: number = demoApiMember.securityRoleId): SecurityRole {
  return h.sim.world.get('demo')!.securityRoles.find((r) => r.id === roleId)!;
}

/** Sets [add, edit, delete, inquire] on one function of a simulated role. */
function grant(role: SecurityRole, functionIdentifier: string, levels: [Level, Level, Level, Level]): void {
  const row = role.settings.find((s) => s.moduleFunctionIdentifier === functionIdentifier);
  if (!row) throw new Error(`no row ${functionIdentifier}`);
  [row.addLevel, row.editLevel, row.deleteLevel, row.inquireLevel] = levels;
}

async function runTest(h: AdminHarness, companyId: string, tenant: Record<string, unknown>) {
  await h.store.delete(companyId);
  const saved = await h.call('PUT', `/tenants/${companyId}`, { body: tenant });
  expect(saved.status).toBe(201);
  const res = await h.call('POST', `/tenants/${companyId}/test`);
  expect(res.status).toBe(200);
  const result = ConnectionTestResult.parse(res.json);
  return { result, steps: stepsOf(result) };
}

function expectSkippedAfter(result: ConnectionTestResult, failedStep: StepId) {
  const index = result.steps.findIndex((s) => s.id === failedStep);
  expect(result.steps[index]?.status).toBe('failed');
  for (const later of result.steps.slice(index + 1)) expect(later.status).toBe('skipped');
  expect(result.ok).toBe(false);
}

describe('with the server’s clientId', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness();
  });
  afterEach(() => h.sim.reset());
  afterAll(async () => h?.close());

  it('is all green for the demo tenant once the pod is registered, stores the result and writes nothing', async () => {
    await h.store.delete('demo');
    await h.call('PUT', '/tenants/demo', { body: demoTenantInput() });
    expect((await h.call('POST', '/tenants/demo/register-pod')).status).toBe(200);
    h.sim.calls.clear();
    const res = await h.call('POST', '/tenants/demo/test');
    const result = ConnectionTestResult.parse(res.json);
    expect(result.steps.map((s) => s.id)).toEqual([
      'site', 'company', 'keys', 'client_id', 'api_member', 'security_role', 'permissions', 'boards', 'pod_registration',
    ]);
    expect(result.steps.filter((s) => s.status !== 'ok')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.server).toMatchObject({ codebase: 'v4_6_release/', isCloud: false });
    expect(h.sim.calls.list().filter((c) => c.method !== 'GET')).toEqual([]);
    expect((await h.store.get('demo'))?.lastTest).toEqual(result);
  });

  it('warns that the pod is not registered, with the values to enter by hand', async () => {
    const { steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.pod_registration.status).toBe('warning');
    expect(steps.pod_registration.fix).toContain('Register in ConnectWise');
    expect(steps.pod_registration.fix).toContain('https://pod.example.com/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]');
    expect(steps.pod_registration.fix).toContain('Pod Height 900');
  });

  it('warns when the registered entry has the wrong origin or height', async () => {
    await runTest(h, 'demo', demoTenantInput());
    await h.call('POST', '/tenants/demo/register-pod');
    const setup = h.sim.world.get('demo')!.hostedSetups[0]!;
    setup['origin'] = 'https://pod.example.com/';
    setup['podHeight'] = 300;
    const { steps } = stepsOfResult(await h.call('POST', '/tenants/demo/test'));
    expect(steps.pod_registration.status).toBe('warning');
    expect(steps.pod_registration.message).toContain('Origin is "https://pod.example.com/"');
    expect(steps.pod_registration.message).toContain('Pod Height is 300');
  });

  it('names the right region when the company lives in another one', async () => {
    const { result, steps } = await runTest(h, cloudInstance.companyId, {
      site: 'na.myconnectwise.net',
      publicKey: cloudInstance.apiMember.publicKey,
      privateKey: cloudInstance.apiMember.privateKey,
    });
    expect(steps.site.status).toBe('ok');
    expect(steps.company.message).toContain('this company is on eu, not na');
    expect(steps.company.fix).toContain('eu.myconnectwise.net');
    expectSkippedAfter(result, 'company');
  });

  it('passes the cloud company in its own region', async () => {
    const { steps } = await runTest(h, cloudInstance.companyId, {
      site: 'eu.myconnectwise.net',
      publicKey: cloudInstance.apiMember.publicKey,
      privateKey: cloudInstance.apiMember.privateKey,
    });
    expect(steps.company.status).toBe('ok');
    expect(steps.company.message).toContain('ConnectWise cloud');
    expect(steps.keys.status).toBe('ok');
  });

  it('fails the company step for a company id the site does not know', async () => {
    const { result, steps } = await runTest(h, 'nosuchco', { ...demoTenantInput(), site: 'na.myconnectwise.net' });
    expect(steps.company.message).toContain('does not know the company id "nosuchco"');
    expectSkippedAfter(result, 'company');
  });

  it('fails the site step when the site answers with a web page instead of ConnectWise', async () => {
    h.sim.faults.set({ kind: 'html-login', path: 'companyinfo/*' });
    const { result, steps } = await runTest(h, cloudInstance.companyId, {
      site: 'eu.myconnectwise.net',
      publicKey: cloudInstance.apiMember.publicKey,
      privateKey: cloudInstance.apiMember.privateKey,
    });
    expect(steps.site.message).toMatch(/^HTTP: .* not with ConnectWise's JSON/);
    expectSkippedAfter(result, 'site');
  });

  it('tells bad keys from a bad clientId: keys failed, clientId accepted', async () => {
    const { result, steps } = await runTest(h, 'demo', demoTenantInput({ privateKey: 'wrongPrivateKey0' }));
    expect(steps.keys.status).toBe('failed');
    expect(steps.keys.message).toContain('public/private key or company id wrong');
    expect(steps.client_id.status).toBe('ok');
    expect(steps.api_member.status).toBe('skipped');
    expect(result.ok).toBe(false);
  });

  it('names the step that failed in words, never its id, and never blames a step that passed', async () => {
    const { result, steps } = await runTest(h, 'demo', demoTenantInput({ privateKey: 'wrongPrivateKey0' }));
    expect(steps.client_id.status).toBe('ok');
    for (const later of result.steps.slice(result.steps.findIndex((s) => s.id === 'api_member'))) {
      expect(later.message).toBe('Not checked: the API keys were refused.');
    }
    const words = result.steps.map((s) => `${s.message} ${s.fix}`).join('\n');
    for (const id of ['client_id', 'api_member', 'security_role', 'pod_registration', '"keys"', '"site"', '"company"']) {
      expect(words).not.toContain(id);
    }
  });

  it('reports a ConnectWise without the Manage Hosted API endpoint as not checkable on this version, with the check to do by hand', async () => {
    h.msw.use(
      http.get('*/system/connectwisehostedsetups', () =>
        HttpResponse.json({ code: 'NotFound', message: 'The endpoint system/connectwisehostedsetups does not exist' }, { status: 404 }),
      ),
    );
    try {
      const { result, steps } = await runTest(h, 'demo', demoTenantInput());
      expect(steps.pod_registration.status).toBe('warning');
      expect(steps.pod_registration.message).toContain('could not be checked on this ConnectWise version');
      expect(steps.pod_registration.message).not.toContain('failed unexpectedly');
      expect(steps.pod_registration.fix).toContain('System › Setup Tables › Manage Hosted API');
      expect(steps.pod_registration.fix).toContain('Pod Height 900');
      expect(result.ok).toBe(true);
    } finally {
      h.msw.resetHandlers();
    }
  });

  it('names an unknown tenant clientId when the server’s CW_CLIENT_ID works', async () => {
    const { steps } = await runTest(h, 'demo', demoTenantInput({ clientId: '11111111-2222-4333-8444-555555555555' }));
    expect(steps.keys.status).toBe('ok');
    expect(steps.client_id.status).toBe('failed');
    expect(steps.client_id.fix).toContain('clientId field');
    expect(steps.api_member.status).toBe('skipped');
  });

  it('names CW_CLIENT_ID when ConnectWise knows neither clientId', async () => {
    h.sim.world.get('demo')!.clientIds = ['99999999-9999-4999-8999-999999999999'];
    const { steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.keys.status).toBe('skipped');
    expect(steps.client_id.status).toBe('failed');
    expect(steps.client_id.message).toContain('does not accept the server’s CW_CLIENT_ID');
    expect(steps.client_id.fix).toContain('CW_CLIENT_ID');
  });

  it('reads the keys’ own member through system/mySecurity when members cannot be listed, and names a mismatch', async () => {
    const { steps } = await runTest(h, 'demo', demoTenantInput({ apiMemberId: 'someone-else' }));
    expect(steps.api_member.status).toBe('failed');
    expect(steps.api_member.message).toBe('The API keys belong to "podapi", not to "someone-else".');
  });

  it('says "API member not found" when the member ID does not match exactly', async () => {
    grant(podRole(h), 'MemberMaintenance', ['None', 'None', 'None', 'All']);
    const { steps } = await runTest(h, 'demo', demoTenantInput({ apiMemberId: 'podapi-typo' }));
    expect(steps.api_member.status).toBe('failed');
    expect(steps.api_member.message).toContain('API member not found');
    expect(steps.api_member.message).toContain('must match exactly');
    expect(steps.security_role.status).toBe('skipped');
  });

  it('fails an inactive API member', async () => {
    grant(podRole(h), 'MemberMaintenance', ['None', 'None', 'None', 'All']);
    const { steps } = await runTest(h, 'demo', demoTenantInput({ apiMemberId: demoInactiveMember.identifier }));
    expect(steps.api_member.status).toBe('failed');
    expect(steps.api_member.message).toContain('inactive');
  });

  it('explains a role it may not read, and falls back to system/mySecurity', async () => {
    grant(podRole(h), 'MemberMaintenance', ['None', 'None', 'None', 'All']);
    const { steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.api_member.status).toBe('ok');
    expect(steps.security_role.status).toBe('warning');
    expect(steps.security_role.message).toContain('Forbidden');
    expect(steps.security_role.fix).toContain('Forbidden: give the role System › Security Roles › Inquire = All');
    expect(steps.permissions.status).toBe('ok');
  });

  it('reads the role itself when allowed to', async () => {
    grant(podRole(h), 'MemberMaintenance', ['None', 'None', 'None', 'All']);
    grant(podRole(h), 'SecurityRoles', ['None', 'None', 'None', 'All']);
    const { steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.security_role.status).toBe('ok');
    expect(steps.security_role.message).toContain('Pod API');
    expect(steps.permissions.message).toContain('from the role’s settings');
  });

  it('names each missing right as the path an admin clicks', async () => {
    const role = podRole(h);
    grant(role, 'ServiceTickets', ['None', 'None', 'None', 'None']);
    grant(role, 'Agreements', ['None', 'None', 'None', 'None']);
    const { result, steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.permissions.status).toBe('failed');
    expect(steps.permissions.missing).toEqual(expect.arrayContaining([pathOf('service_tickets'), pathOf('agreements')]));
    expect(steps.permissions.fix).toContain(pathOf('service_tickets'));
    expect(result.ok).toBe(false);
  });

  it('only warns about an optional right, saying which section is hidden', async () => {
    const { steps } = await runTest(h, 'demo', {
      ...demoTenantInput(),
      publicKey: demoLimitedApiMember.publicKey,
      privateKey: demoLimitedApiMember.privateKey,
      apiMemberId: demoLimitedApiMember.identifier,
    });
    expect(steps.permissions.status).toBe('warning');
    expect(steps.permissions.missing).toEqual([pathOf('agreements')]);
    expect(steps.permissions.message).toContain("company's list says your role cannot read agreements");
  });

  it('names a level that is too low (My where All is needed)', async () => {
    grant(podRole(h), 'ServiceTickets', ['None', 'None', 'None', 'My']);
    const { steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.permissions.status).toBe('failed');
    expect(steps.permissions.message).toContain('Inquire Level is My, needs All');
  });

  it('skips the member and role steps without an API member ID, and still checks the rights', async () => {
    const { steps } = await runTest(h, 'demo', demoTenantInput({ apiMemberId: null }));
    expect(steps.api_member.status).toBe('skipped');
    expect(steps.api_member.fix).toContain('API member');
    expect(steps.security_role.status).toBe('skipped');
    expect(steps.permissions.status).toBe('ok');
    expect(steps.permissions.message).toContain('system/mySecurity');
  });

  it('fails the step where ConnectWise stops answering and skips the rest', async () => {
    // The permissions step probes service/boards first (Table Setup).
    h.sim.faults.set({ kind: 'reset', path: 'service/boards' });
    const { result, steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.security_role.status).toBe('ok');
    expect(steps.permissions.status).toBe('failed');
    expect(steps.permissions.message).toContain('could not be reached');
    expectSkippedAfter(result, 'permissions');
  });

  it('warns when the API member sees none of a filtered board', async () => {
    const { steps } = await runTest(h, 'demo', demoTenantInput({ boardIds: [1, 424242] }));
    expect(steps.boards.status).toBe('warning');
    expect(steps.boards.message).toContain('424242');
  });
});

describe('without a clientId anywhere', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness({ cwClientId: undefined });
  });
  afterAll(async () => h?.close());

  it('fails the clientId step, naming CW_CLIENT_ID and the tenant field', async () => {
    const { result, steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.keys.status).toBe('skipped');
    expect(steps.client_id.status).toBe('failed');
    expect(steps.client_id.message).toContain('No clientId is configured');
    expect(steps.client_id.fix).toContain('CW_CLIENT_ID');
    expect(steps.client_id.fix).toContain('clientId field');
    expectSkippedAfter(result, 'client_id');
  });
});

describe('with a short time box', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness({ stepTimeoutMs: 1500 });
  });
  afterAll(async () => h?.close());

  it('fails a step ConnectWise never answers, with the reason, and skips the rest', async () => {
    h.sim.faults.set({ kind: 'timeout', path: 'system/info' });
    const { result, steps } = await runTest(h, 'demo', demoTenantInput());
    expect(steps.company.status).toBe('ok');
    expect(steps.keys.status).toBe('failed');
    expect(steps.keys.message).toContain('did not answer');
    expectSkippedAfter(result, 'keys');
    h.sim.faults.clear();
  });
});

function stepsOfResult(res: { json: unknown }) {
  const result = ConnectionTestResult.parse(res.json);
  return { result, steps: stepsOf(result) };
}
