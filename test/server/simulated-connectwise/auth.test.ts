import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/simulator.ts';
import {
  cloudInstance,
  demoApiMember,
  demoClientId,
  demoForgedMemberHash,
  demoInactiveMember,
  demoRestrictedTechnician,
  demoTechnician,
} from '../../../server/simulated-connectwise/demo.ts';
import { apiHeaders, basic, demoBase, getJson, memberBasicHeaders, memberCookieHeaders } from './sim-fixtures.ts';

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());
beforeEach(() => sim.reset());

const info = `${demoBase}/system/info`;
const me = `${demoBase}/system/myMembers/info`;

describe('API member keys', () => {
  it('accepts company+publicKey:privateKey with the clientId', async () => {
    const r = await getJson(info, apiHeaders());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ isCloud: false });
    expect(sim.calls.list()[0]?.auth).toBe('api');
  });

  it('matches the company id case-insensitively', async () => {
    const r = await getJson(info, apiHeaders({ authorization: basic(`DEMO+${demoApiMember.publicKey}`, demoApiMember.privateKey) }));
    expect(r.status).toBe(200);
  });

  it('answers 401 in ConnectWise shape for a wrong private key', async () => {
    const r = await getJson(info, apiHeaders({ authorization: basic(`demo+${demoApiMember.publicKey}`, 'wrong') }));
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: 'Unauthorized' });
    expect(JSON.stringify(r.body)).not.toContain(demoApiMember.publicKey);
  });

  it('answers 401 for an unknown company', async () => {
    const r = await getJson(info, apiHeaders({ authorization: basic(`nosuch+${demoApiMember.publicKey}`, demoApiMember.privateKey) }));
    expect(r.status).toBe(401);
  });

  it('answers 401 without credentials', async () => {
    const r = await getJson(info, { clientId: demoClientId });
    expect(r.status).toBe(401);
    expect(sim.calls.list()[0]?.auth).toBe('none');
  });
});

describe('clientId', () => {
  it('is required even with valid keys', async () => {
    const headers = apiHeaders();
    delete headers['clientId'];
    expect((await getJson(info, headers)).status).toBe(401);
  });

  it('must be one the instance accepts', async () => {
    expect((await getJson(info, apiHeaders({ clientId: '00000000-0000-4000-8000-000000000000' }))).status).toBe(401);
  });

  it('is compared case-insensitively', async () => {
    expect((await getJson(info, apiHeaders({ clientId: demoClientId.toUpperCase() }))).status).toBe(200);
  });

  it('is required for member credentials too', async () => {
    const headers = memberCookieHeaders(demoTechnician);
    delete headers['clientId'];
    expect((await getJson(me, headers)).status).toBe(401);
  });
});

describe('member cookie form', () => {
  it('proves the member with companyName, memberId, memberHash and memberContext', async () => {
    const r = await getJson(me, memberCookieHeaders(demoTechnician));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ identifier: demoTechnician.identifier, fullName: 'Jane Smith' });
    expect(sim.calls.list()[0]?.auth).toBe('member-cookie');
  });

  it('fails without memberContext', async () => {
    expect((await getJson(me, memberCookieHeaders(demoTechnician, { context: null }))).status).toBe(401);
  });

  it('fails with another memberContext', async () => {
    expect((await getJson(me, memberCookieHeaders(demoTechnician, { context: 'xyz' }))).status).toBe(401);
  });

  it('rejects a forged hash with 401', async () => {
    const r = await getJson(me, memberCookieHeaders(demoTechnician, { hash: demoForgedMemberHash }));
    expect(r.status).toBe(401);
    expect(JSON.stringify(r.body)).not.toContain(demoForgedMemberHash);
  });

  it("rejects one member's hash presented as another member", async () => {
    const headers = memberCookieHeaders(demoRestrictedTechnician, { hash: demoTechnician.memberHash });
    expect((await getJson(me, headers)).status).toBe(401);
  });

  it('rejects an inactive member', async () => {
    expect((await getJson(me, memberCookieHeaders(demoInactiveMember))).status).toBe(401);
  });

  it('accepts URL-encoded cookie values', async () => {
    const headers = memberCookieHeaders(demoTechnician, { hash: encodeURIComponent(demoTechnician.memberHash) });
    expect((await getJson(me, headers)).status).toBe(200);
  });

  it('stops accepting a hash the world no longer holds (revoked sign-in)', async () => {
    sim.world.get('demo')!.members.find((m) => m.identifier === demoTechnician.identifier)!.memberHashes = [];
    expect((await getJson(me, memberCookieHeaders(demoTechnician))).status).toBe(401);
  });
});

describe('member Basic form', () => {
  it('proves the member with company+memberId:memberHash', async () => {
    const r = await getJson(me, memberBasicHeaders(demoRestrictedTechnician));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ identifier: demoRestrictedTechnician.identifier });
    expect(sim.calls.list()[0]?.auth).toBe('member-basic');
  });

  it('rejects a forged hash with 401', async () => {
    expect((await getJson(me, memberBasicHeaders(demoTechnician, demoForgedMemberHash))).status).toBe(401);
  });
});

describe('cloud regions', () => {
  const cloudHeaders = {
    clientId: demoClientId,
    authorization: basic(`${cloudInstance.companyId}+${cloudInstance.apiMember.publicKey}`, cloudInstance.apiMember.privateKey),
  };

  it('accepts the keys on the instance API host', async () => {
    const r = await getJson(`https://${cloudInstance.apiHost}/v2025_1/apis/3.0/system/info`, cloudHeaders);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ isCloud: true, cloudRegion: 'EU' });
  });

  it('refuses the keys on another region with 401', async () => {
    const r = await getJson('https://api-na.myconnectwise.net/v2025_1/apis/3.0/system/info', cloudHeaders);
    expect(r.status).toBe(401);
  });

  it('accepts member credentials on the UI host as well as the API host', async () => {
    const t = cloudInstance.technician;
    const headers = { clientId: demoClientId, cookie: `companyName=${cloudInstance.companyId}; memberId=${t.identifier}; memberHash=${t.memberHash}; memberContext=${t.memberContext}` };
    expect((await getJson(`https://${cloudInstance.uiHost}/v2025_1/apis/3.0/system/myMembers/info`, headers)).status).toBe(200);
    expect((await getJson(`https://${cloudInstance.apiHost}/v2025_1/apis/3.0/system/myMembers/info`, headers)).status).toBe(200);
    expect((await getJson('https://na.myconnectwise.net/v2025_1/apis/3.0/system/myMembers/info', headers)).status).toBe(401);
  });
});
