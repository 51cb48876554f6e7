import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RegisterPodResult } from '../../../shared/admin-api.ts';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { demoApiMember } from '../../../server/simulated-connectwise/demo.ts';
import type { Level } from '../../../server/simulated-connectwise/index.ts';
import { demoTenantInput, startAdminHarness, type AdminHarness } from './support.ts';

/** "Register in ConnectWise": one setup row per company and server, kept right, never doubled. */

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
  await h.call('PUT', '/tenants/demo', { body: demoTenantInput() });
});
afterEach(() => {
  h.sim.reset();
  h.msw.resetHandlers();
});
afterAll(async () => h?.close());

const setups = () => h.sim.world.get('demo')!.hostedSetups;
const ourUrl = 'https://pod.example.com/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]';

function grant(functionIdentifier: string, levels: [Level, Level, Level, Level]) {
  const role = h.sim.world.get('demo')!.securityRoles.find((r) => r.id === demoApiMember.securityRoleId)!;
  const row = role.settings.find((s) => s.moduleFunctionIdentifier === functionIdentifier)!;
  [row.addLevel, row.editLevel, row.deleteLevel, row.inquireLevel] = levels;
}

const register = async () => h.call('POST', '/tenants/demo/register-pod');

describe('POST /tenants/:companyId/register-pod', () => {
  it('creates the entry with the Service Ticket screen, our origin, URL and height', async () => {
    const res = await register();
    expect(res.status).toBe(200);
    const result = RegisterPodResult.parse(res.json);
    expect(result.action).toBe('created');
    const serviceTicket = h.sim.world.get('demo')!.hostedScreens.find((s) => s.name.replace(/\s/g, '').toLowerCase() === 'serviceticket')!;
    expect(result.screenId).toBe(serviceTicket.screenId);
    expect(setups()).toHaveLength(1);
    expect(setups()[0]).toMatchObject({
      id: result.setupId,
      screenId: serviceTicket.screenId,
      description: 'Ticket context',
      type: 'Pod',
      origin: 'https://pod.example.com',
      url: ourUrl,
      podHeight: 900,
    });
  });

  it('is idempotent: a second call answers unchanged and leaves one row', async () => {
    const first = RegisterPodResult.parse((await register()).json);
    const second = RegisterPodResult.parse((await register()).json);
    expect(second).toMatchObject({ action: 'unchanged', setupId: first.setupId });
    expect(setups()).toHaveLength(1);
  });

  it('corrects its own row in place (and keeps a description the admin changed)', async () => {
    const first = RegisterPodResult.parse((await register()).json);
    const row = setups()[0]!;
    row['podHeight'] = 300;
    row['origin'] = '*';
    row['description'] = 'Our pod';
    const again = RegisterPodResult.parse((await register()).json);
    expect(again).toMatchObject({ action: 'updated', setupId: first.setupId });
    expect(setups()).toHaveLength(1);
    expect(setups()[0]).toMatchObject({ podHeight: 900, origin: 'https://pod.example.com', description: 'Our pod', url: ourUrl });
  });

  it('leaves other pods alone, including another company’s pod on this server', async () => {
    h.sim.world.get('demo')!.hostedSetups.push(
      { id: 7, screenId: 4, description: 'Other vendor', url: 'https://vendor.example/pod?id=[cw_id]', type: 'Pod', origin: 'https://vendor.example', podHeight: 300 },
      { id: 8, screenId: 4, description: 'Demo 2', url: 'https://pod.example.com/hostedapis/connectwiseiframe/demo2?id=[cw_id]', type: 'Pod', origin: 'https://pod.example.com', podHeight: 900 },
    );
    const result = RegisterPodResult.parse((await register()).json);
    expect(result.action).toBe('created');
    expect(setups().map((s) => s.id).sort((a, b) => a - b)).toEqual([7, 8, result.setupId].sort((a, b) => a - b));
    expect(setups().find((s) => s.id === 7)).toMatchObject({ url: 'https://vendor.example/pod?id=[cw_id]', podHeight: 300 });
  });

  it('finds the screen through the ConnectWiseHostedApiScreen report when the screens endpoint is missing', async () => {
    h.msw.use(http.get('*/apis/3.0/system/connectWiseHostedScreens', () => HttpResponse.json({ code: 'NotFound', message: 'Not found' }, { status: 404 })));
    const serviceTicket = h.sim.world.get('demo')!.hostedScreens.find((s) => s.name.replace(/\s/g, '').toLowerCase() === 'serviceticket')!;
    const res = await register();
    expect(res.status).toBe(200);
    expect(RegisterPodResult.parse(res.json)).toMatchObject({ action: 'created', screenId: serviceTicket.screenId });
    expect(h.sim.calls.count({ path: 'system/reports/ConnectWiseHostedApiScreen' })).toBe(1);
  });

  it('retries once with the clientId when ConnectWise’s validation asks for it', async () => {
    let posts = 0;
    h.msw.use(
      http.post('*/apis/3.0/system/connectwisehostedsetups', async ({ request }) => {
        posts++;
        const body = (await request.clone().json()) as Record<string, unknown>;
        if (body['clientId'] === undefined) {
          return HttpResponse.json(
            { code: 'InvalidObject', message: 'connectWiseHostedSetup object is invalid', errors: [{ code: 'MissingRequiredField', message: 'The clientId field is required.', resource: 'connectWiseHostedSetup', field: 'clientId' }] },
            { status: 400 },
          );
        }
        return undefined; // fall through to the simulator
      }),
    );
    const res = await register();
    expect(res.status).toBe(200);
    expect(posts).toBe(2);
    expect(setups()).toHaveLength(1);
  });

  it('explains a 403 with the right the role needs, as a JSON error', async () => {
    grant('ManageHostedApi', ['None', 'None', 'None', 'All']);
    const res = await register();
    expect(res.status).toBe(403);
    const error = ApiErrorBody.parse(res.json).error;
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain("give the API member's role System › Manage Hosted API › Add/Edit");
    expect(setups()).toHaveLength(0);
  });

  it('answers 404 for an unknown tenant', async () => {
    const res = await h.call('POST', '/tenants/nobody/register-pod');
    expect(res.status).toBe(404);
  });
});

describe('register-pod with an http PUBLIC_URL (issue 11 item 7)', () => {
  it('refuses to register an origin technicians’ browsers would not load, and writes nothing', async () => {
    const plain = await startAdminHarness({ publicUrl: 'http://pod.example.com' });
    try {
      await plain.call('PUT', '/tenants/demo', { body: demoTenantInput() });
      plain.sim.calls.clear();
      const res = await plain.call('POST', '/tenants/demo/register-pod');
      expect(res.status).toBe(422);
      const error = ApiErrorBody.parse(res.json).error;
      expect(error.message).toContain('http://pod.example.com is not https');
      expect(error.message).toContain('PUBLIC_URL');
      expect(plain.sim.calls.list()).toEqual([]);
      expect(plain.sim.world.get('demo')!.hostedSetups).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('registers it when private networks are allowed (a local test server)', async () => {
    const local = await startAdminHarness({ publicUrl: 'http://pod.example.com', allowPrivateNetwork: true });
    try {
      await local.call('PUT', '/tenants/demo', { body: demoTenantInput() });
      const res = await local.call('POST', '/tenants/demo/register-pod');
      expect(res.status).toBe(200);
      expect(local.sim.world.get('demo')!.hostedSetups.map((s) => s['origin'])).toEqual(['http://pod.example.com']);
    } finally {
      await local.close();
    }
  });
});
