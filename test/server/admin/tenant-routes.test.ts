import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardList, ConnectionTestFailedBody, TenantList, TenantView } from '../../../shared/admin-api.ts';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { demoApiMember, demoBoardIds, demoClientId } from '../../../server/simulated-connectwise/demo.ts';
import { addKeyPair, adminToken, demoSite, demoTenantInput, startAdminHarness, type AdminHarness } from './support.ts';

/** Tenants through the admin API: validation, masking, the SSRF policy, versions, boards. */

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
});
afterAll(async () => {
  // No response, header or error anywhere in this file carried a secret.
  for (const secret of [demoApiMember.privateKey, demoApiMember.publicKey, adminToken, 'privateKeyNumberTwo99']) {
    expect(h.bodies.join('\n')).not.toContain(secret);
  }
  await h?.close();
});

const err = (json: unknown) => ApiErrorBody.parse(json).error;

describe('PUT /tenants/:companyId', () => {
  it('creates a tenant (201) and answers a TenantView with masked keys and the Hosted API values', async () => {
    const res = await h.call('PUT', '/tenants/Acme', { body: demoTenantInput({ boardIds: [demoBoardIds.helpDesk] }) });
    expect(res.status).toBe(201);
    const view = TenantView.parse(res.json);
    expect(view.companyId).toBe('Acme');
    expect(view.site).toEqual({ uiOrigin: `https://${demoSite}`, apiOrigin: `https://${demoSite}`, region: null, kind: 'on-premise' });
    expect(view.privateKey).toBe(`••••••••${demoApiMember.privateKey.slice(-4)}`);
    expect(view.publicKey).toBe(`••••••••${demoApiMember.publicKey.slice(-4)}`);
    expect(view.effectiveClientId).toBe(demoClientId);
    expect(view.version).toBe(1);
    expect(view.hostedApi).toEqual({
      description: 'Ticket context',
      screen: 'Service Ticket',
      origin: 'https://pod.example.com',
      url: 'https://pod.example.com/hostedapis/connectwiseiframe/Acme?id=[cw_id]&screen=[cw_screen]',
      nilearUrl: 'https://pod.example.com/hostedapis/connectwiseiframe/Acme?id=[cw_id]&screen=[cw_screen]&nilear=true',
      podHeight: 900,
    });
  });

  it('normalises a cloud site typed as the API address to its region', async () => {
    const res = await h.call('PUT', '/tenants/cloudy', { body: demoTenantInput({ site: 'https://api-eu.myconnectwise.net/v4_6_release/apis/3.0' }) });
    expect(res.status).toBe(201);
    expect(TenantView.parse(res.json).site).toEqual({
      uiOrigin: 'https://eu.myconnectwise.net',
      apiOrigin: 'https://api-eu.myconnectwise.net',
      region: 'eu',
      kind: 'cloud',
    });
  });

  it('keeps the stored keys when an update omits them, and answers 200 with the next version', async () => {
    const created = TenantView.parse((await h.call('PUT', '/tenants/keep-keys', { body: demoTenantInput() })).json);
    const res = await h.call('PUT', '/tenants/keep-keys', {
      body: { site: demoSite, apiMemberId: demoApiMember.identifier, nilearOrigin: 'https://mtx.example.com', version: created.version },
    });
    expect(res.status).toBe(200);
    const view = TenantView.parse(res.json);
    expect(view.version).toBe(created.version + 1);
    expect(view.nilearOrigin).toBe('https://mtx.example.com');
    const stored = await h.store.get('keep-keys');
    expect(stored?.privateKey).toBe(demoApiMember.privateKey);
    expect(stored?.publicKey).toBe(demoApiMember.publicKey);
  });

  it('replaces the keys when an update sends new ones ConnectWise accepts', async () => {
    await h.store.delete('demo');
    const created = TenantView.parse((await h.call('PUT', '/tenants/demo', { body: demoTenantInput() })).json);
    const remove = addKeyPair(h, 'demo', 'publicKeyNumberTwo9', 'privateKeyNumberTwo99');
    try {
      const res = await h.call('PUT', '/tenants/demo', {
        body: { site: demoSite, publicKey: 'publicKeyNumberTwo9', privateKey: 'privateKeyNumberTwo99', version: created.version },
      });
      expect(res.status).toBe(200);
      expect((await h.store.get('demo'))?.privateKey).toBe('privateKeyNumberTwo99');
    } finally {
      remove();
      await h.store.delete('demo');
    }
  });

  it('answers a stale version with 409 version_conflict and changes nothing', async () => {
    const created = TenantView.parse((await h.call('PUT', '/tenants/racy', { body: demoTenantInput() })).json);
    expect((await h.call('PUT', '/tenants/racy', { body: { site: demoSite, nilearOrigin: 'https://first.example', version: created.version } })).status).toBe(200);
    const stale = await h.call('PUT', '/tenants/racy', { body: { site: demoSite, nilearOrigin: 'https://second.example', version: created.version } });
    expect(stale.status).toBe(409);
    expect(err(stale.json).code).toBe('version_conflict');
    expect((await h.store.get('racy'))?.nilearOrigin).toBe('https://first.example');
  });

  it('updates without a version check when no version is sent (a script\'s PUT), keeping the stored keys', async () => {
    const first = await h.call('PUT', '/tenants/twice', { body: demoTenantInput() });
    expect(first.status).toBe(201);
    const { privateKey: _omitted, publicKey: _alsoOmitted, ...rest } = demoTenantInput();
    const again = await h.call('PUT', '/tenants/twice', { body: { ...rest, nilearOrigin: 'https://second.example' } });
    expect(again.status).toBe(200);
    const stored = await h.store.get('twice');
    expect(stored?.nilearOrigin).toBe('https://second.example');
    expect(stored?.version).toBe(2);
    expect(stored?.privateKey).toBe(demoTenantInput().privateKey);
  });

  it('answers 422 with one message per invalid field', async () => {
    const res = await h.call('PUT', '/tenants/bad', { body: { site: 12, publicKey: '', boardIds: [1, -2], surprise: true } });
    expect(res.status).toBe(422);
    const e = err(res.json);
    expect(e.code).toBe('validation_failed');
    const paths = e.fields!.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['site', 'publicKey', 'boardIds.1']));
    const site = e.fields!.find((f) => f.path === 'site');
    expect(site?.message).toMatch(/expected string/i);
  });

  it('requires both keys when creating a tenant', async () => {
    const res = await h.call('PUT', '/tenants/nokeys', { body: { site: demoSite } });
    expect(res.status).toBe(422);
    expect(err(res.json).fields!.map((f) => f.path).sort()).toEqual(['privateKey', 'publicKey']);
  });

  it('answers 422 on site when the site cannot be normalised', async () => {
    const res = await h.call('PUT', '/tenants/badsite', { body: demoTenantInput({ site: 'ftp://cw.example.com' }) });
    expect(res.status).toBe(422);
    expect(err(res.json).fields).toEqual([{ path: 'site', message: expect.stringContaining('https://') }]);
  });

  it('refuses a site on a loopback address literal (SSRF), naming host and kind', async () => {
    const res = await h.call('PUT', '/tenants/ssrf1', { body: demoTenantInput({ site: 'https://127.0.0.1:8443' }) });
    expect(res.status).toBe(422);
    const field = err(res.json).fields!.find((f) => f.path === 'site');
    expect(field?.message).toContain('127.0.0.1');
    expect(field?.message).toContain('loopback');
    expect(await h.store.get('ssrf1')).toBeNull();
  });

  it('refuses a host name that resolves to 127.0.0.1', async () => {
    const res = await h.call('PUT', '/tenants/ssrf2', { body: demoTenantInput({ site: 'rebind.example.test' }) });
    expect(res.status).toBe(422);
    const field = err(res.json).fields!.find((f) => f.path === 'site');
    expect(field?.message).toContain('rebind.example.test resolves to 127.0.0.1');
    expect(field?.message).toContain('loopback');
  });

  it('refuses the cloud metadata address and private ranges', async () => {
    for (const [site, kind] of [
      ['http://169.254.169.254', 'cloud metadata'],
      ['https://10.1.2.3', 'private'],
    ] as const) {
      const res = await h.call('PUT', '/tenants/ssrf3', { body: demoTenantInput({ site }) });
      expect(res.status).toBe(422);
      expect(err(res.json).fields![0]!.message).toContain(kind);
    }
  });

  it('stores a new tenant whose site does not resolve, with a test result naming the host and the server’s network', async () => {
    const res = await h.call('PUT', '/tenants/nxd', { body: demoTenantInput({ site: 'nxdomain.example.test' }) });
    expect(res.status).toBe(201);
    const site = TenantView.parse(res.json).lastTest!.steps.find((s) => s.id === 'site')!;
    expect(site.status).toBe('failed');
    expect(site.message).toContain('could not resolve the host name nxdomain.example.test');
    expect(site.fix).toContain('pod server’s own network may be the cause');
    expect((await h.store.get('nxd'))?.lastTest?.ok).toBe(false);
  });

  it('refuses to move a working tenant to a site that does not resolve (422 connection_test_failed), and stores it with force', async () => {
    await h.store.delete('demo');
    const created = TenantView.parse((await h.call('PUT', '/tenants/demo', { body: demoTenantInput() })).json);
    const moved = demoTenantInput({ site: 'nxdomain.example.test', version: created.version });
    const refused = await h.call('PUT', '/tenants/demo', { body: moved });
    expect(refused.status).toBe(422);
    const body = ConnectionTestFailedBody.parse(refused.json).error;
    expect(body.message).toContain('“The site answers”');
    expect(body.test.steps[0]).toMatchObject({ id: 'site', status: 'failed' });
    expect(body.test.steps[0]!.message).toContain('nxdomain.example.test');
    expect(body.test.steps[0]!.fix).toContain('network may be the cause');
    expect((await h.store.get('demo'))?.siteInput).toBe(demoSite);
    const forced = await h.call('PUT', '/tenants/demo?force=true', { body: moved });
    expect(forced.status).toBe(200);
    expect((await h.store.get('demo'))?.siteInput).toBe('nxdomain.example.test');
    expect((await h.call('PUT', '/tenants/demo?force=maybe', { body: moved })).status).toBe(422);
    await h.store.delete('demo');
  });

  it('validates the company id in the path', async () => {
    const res = await h.call('PUT', '/tenants/bad%20id', { body: demoTenantInput() });
    expect(res.status).toBe(422);
    expect(err(res.json).fields![0]!.path).toBe('companyId');
  });

  it('refuses a clientId that is not a GUID', async () => {
    const res = await h.call('PUT', '/tenants/cid', { body: demoTenantInput({ clientId: 'not a guid!' }) });
    expect(res.status).toBe(422);
    expect(err(res.json).fields![0]!.path).toBe('clientId');
  });
});

describe('reading and deleting tenants', () => {
  it('lists and gets tenants, masked, case-insensitively by company id', async () => {
    await h.call('PUT', '/tenants/Listed', { body: demoTenantInput() });
    const list = TenantList.parse((await h.call('GET', '/tenants')).json);
    expect(list.tenants.map((t) => t.companyId)).toContain('Listed');
    for (const t of list.tenants) expect(t.privateKey.startsWith('••••••••')).toBe(true);
    const one = await h.call('GET', '/tenants/listed');
    expect(one.status).toBe(200);
    expect(TenantView.parse(one.json).companyId).toBe('Listed');
  });

  it('answers 404 for an unknown tenant', async () => {
    const res = await h.call('GET', '/tenants/nobody');
    expect(res.status).toBe(404);
    expect(err(res.json).code).toBe('not_found');
  });

  it('deletes with 204, honouring a version when given', async () => {
    const created = TenantView.parse((await h.call('PUT', '/tenants/gone', { body: demoTenantInput() })).json);
    expect((await h.call('DELETE', `/tenants/gone?version=${created.version + 1}`)).status).toBe(409);
    expect((await h.call('DELETE', `/tenants/gone?version=${created.version}`)).status).toBe(204);
    expect((await h.call('DELETE', '/tenants/gone')).status).toBe(404);
  });
});

describe('GET /tenants/:companyId/boards', () => {
  it('lists the boards the API member sees', async () => {
    await h.call('PUT', '/tenants/demo', { body: demoTenantInput() });
    const res = await h.call('GET', '/tenants/demo/boards');
    expect(res.status).toBe(200);
    const list = BoardList.parse(res.json);
    const expected = h.sim.world.get('demo')!.boards.map((b) => b.id).sort();
    expect(list.boards.map((b) => b.id).sort()).toEqual(expected);
  });

  it('explains a 403 with the right to grant', async () => {
    const role = h.sim.world.get('demo')!.securityRoles.find((r) => r.id === demoApiMember.securityRoleId)!;
    const row = role.settings.find((s) => s.moduleFunctionIdentifier === 'TableSetup')!;
    const before = row.inquireLevel;
    row.inquireLevel = 'None';
    try {
      const res = await h.call('GET', '/tenants/demo/boards');
      expect(res.status).toBe(403);
      expect(err(res.json).message).toContain('Table Setup');
    } finally {
      row.inquireLevel = before;
    }
  });
});
