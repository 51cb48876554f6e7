import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoConnection, northwindConnection } from '../../support/tenant-connections.ts';
import { memberCredentials } from '../../support/members.ts';
import { createConnectWise, type ConnectWise } from '../../../server/connectwise/connectwise.ts';
import { MemberRejectedError } from '../../../server/connectwise/errors/MemberRejectedError.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import {
  cloudInstance,
  demoApiMember,
  demoCompanyId,
  demoForgedMemberHash,
  demoRestrictedTechnician,
  demoTechnician,
} from '../../../server/simulated-connectwise/demo.ts';

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

type LogLine = { level: string; obj: object };
let logs: LogLine[] = [];
const logger = {
  debug: (obj: object) => logs.push({ level: 'debug', obj }),
  info: (obj: object) => logs.push({ level: 'info', obj }),
  warn: (obj: object) => logs.push({ level: 'warn', obj }),
};

let cw: ConnectWise;
afterEach(async () => {
  server.resetHandlers();
  sim.reset();
  logs = [];
  await cw?.close();
});
const fresh = () => (cw = createConnectWise({ allowPrivateNetwork: false, timeoutMs: 1000, totalTimeoutMs: 3000, logger }));

const demo = demoConnection;
const northwind = northwindConnection;
const jsmith = memberCredentials(demoTechnician);
const memberCalls = () => sim.calls.list({ path: '*/system/myMembers/info' });

describe('verifyMember', () => {
  it('verifies with the cookie form and returns the identifier and full name', async () => {
    fresh();
    await expect(cw.verifyMember(demo, jsmith)).resolves.toEqual({
      identifier: demoTechnician.identifier,
      name: `${demoTechnician.firstName} ${demoTechnician.lastName}`,
    });
    expect(memberCalls().map((c) => c.auth)).toEqual(['member-cookie']);
  });

  it('falls back to the Basic form when the cookie form is refused, and remembers it for the tenant', async () => {
    fresh();
    const { memberContext: _omit, ...noContext } = jsmith;
    await cw.verifyMember(demo, noContext);
    expect(memberCalls().map((c) => [c.auth, c.status])).toEqual([
      ['member-cookie', 401],
      ['member-basic', 200],
    ]);
    sim.calls.clear();
    const { memberContext: _omit2, ...bwilson } = memberCredentials(demoRestrictedTechnician);
    await cw.verifyMember(demo, bwilson);
    expect(memberCalls().map((c) => [c.auth, c.status])).toEqual([['member-basic', 200]]);
  });

  it('compares the identifier ignoring case', async () => {
    fresh();
    server.use(
      http.get('https://cw.demo-msp.example/v4_6_release/apis/3.0/system/myMembers/info', () =>
        HttpResponse.json({ identifier: 'JSmith', firstName: 'Jane', lastName: 'Smith' }),
      ),
    );
    await expect(cw.verifyMember(demo, jsmith)).resolves.toEqual({ identifier: 'JSmith', name: 'Jane Smith' });
  });

  it('rejects credentials that ConnectWise accepts for a different member', async () => {
    fresh();
    server.use(
      http.get('https://cw.demo-msp.example/v4_6_release/apis/3.0/system/myMembers/info', () =>
        HttpResponse.json({ identifier: 'someone-else', fullName: 'Someone Else' }),
      ),
    );
    await expect(cw.verifyMember(demo, jsmith)).rejects.toMatchObject({ name: 'MemberRejectedError', reason: 'member_mismatch' });
  });

  it('rejects a forged hash after trying every form, and caches the refusal', async () => {
    fresh();
    const forged = { ...jsmith, memberHash: demoForgedMemberHash };
    const err = await cw.verifyMember(demo, forged).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MemberRejectedError);
    expect(err).toMatchObject({ reason: 'credentials_rejected' });
    expect((err as Error).message).not.toContain(demoForgedMemberHash);
    expect(memberCalls().every((c) => c.status === 401)).toBe(true);
    expect(memberCalls().length).toBeGreaterThanOrEqual(2);
    sim.calls.clear();
    await expect(cw.verifyMember(demo, forged)).rejects.toMatchObject({ reason: 'credentials_rejected' });
    expect(memberCalls()).toEqual([]);
  });

  it('rejects a member id paired with another member\'s hash', async () => {
    fresh();
    await expect(cw.verifyMember(demo, { ...jsmith, memberid: demoRestrictedTechnician.identifier })).rejects.toMatchObject({
      reason: 'credentials_rejected',
    });
  });

  it('rejects a claim for another company without calling ConnectWise', async () => {
    fresh();
    await expect(cw.verifyMember(demo, { ...jsmith, companyid: 'othercompany' })).rejects.toMatchObject({
      reason: 'company_mismatch',
    });
    expect(sim.calls.list()).toEqual([]);
  });

  it('accepts the claimed company in another case', async () => {
    fresh();
    await expect(cw.verifyMember(demo, { ...jsmith, companyid: demoCompanyId.toUpperCase() })).resolves.toMatchObject({
      identifier: demoTechnician.identifier,
    });
  });

  it('caches a success: the second verification makes no call', async () => {
    fresh();
    await cw.verifyMember(demo, jsmith);
    sim.calls.clear();
    await cw.verifyMember(demo, jsmith);
    expect(sim.calls.list()).toEqual([]);
  });

  it('fails closed when ConnectWise is unreachable, and does not cache it', async () => {
    fresh();
    sim.faults.set({ kind: 'reset', path: '*/system/myMembers/info' });
    await expect(cw.verifyMember(demo, jsmith)).rejects.toMatchObject({ name: 'ConnectWiseUnreachableError', reason: 'network' });
    sim.faults.clear();
    await expect(cw.verifyMember(demo, jsmith)).resolves.toMatchObject({ identifier: demoTechnician.identifier });
  });

  it('passes a 429 on instead of trying other forms', async () => {
    fresh();
    sim.faults.set({ kind: 'rate-limit', retryAfterSeconds: 0, path: '*/system/myMembers/info' });
    await expect(cw.verifyMember(demo, jsmith)).rejects.toMatchObject({ name: 'ConnectWiseHttpError', status: 429 });
  });

  it('verifies a cloud member, trying the UI host first and remembering the host that worked', async () => {
    fresh();
    const kjones = memberCredentials(cloudInstance.technician, cloudInstance.companyId);
    await expect(cw.verifyMember(northwind, kjones)).resolves.toMatchObject({ identifier: cloudInstance.technician.identifier });
    const hosts = memberCalls().map((c) => c.host);
    expect(hosts[0]).toBe(cloudInstance.uiHost);
    const winner = memberCalls().at(-1)!;
    expect(winner.status).toBe(200);
    sim.calls.clear();
    // A new sign-in gives a new hash (not in the verdict cache), so ConnectWise is asked again.
    sim.world.get(cloudInstance.companyId)!.members[0]!.memberHashes.push('U2ltSGFzaC1uZXctc2lnbi1pbg==');
    await cw.verifyMember(northwind, { ...kjones, memberHash: 'U2ltSGFzaC1uZXctc2lnbi1pbg==' });
    expect(memberCalls().map((c) => [c.host, c.auth])).toEqual([[winner.host, winner.auth]]);
  });

});

describe('logging', () => {
  it('logs which form and host each attempt used and its status, never the credentials', async () => {
    fresh();
    await cw.verifyMember(demo, { ...jsmith, memberHash: demoForgedMemberHash }).catch(() => undefined);
    await cw.verifyMember(demo, jsmith);
    const text = JSON.stringify(logs);
    expect(logs.length).toBeGreaterThan(0);
    expect(text).toContain('"form":"cookie"');
    expect(text).toContain('"status":401');
    for (const secret of [demoForgedMemberHash, demoTechnician.memberHash, demoApiMember.privateKey, demoApiMember.publicKey]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/"memberContext":"web"/);
  });
});

describe('what the verification also tells, and forgetting a member (issue 10)', () => {
  it('keeps the hidden boards the answer named, with no extra call', async () => {
    fresh();
    sim.calls.clear();
    const restricted = memberCredentials(demoRestrictedTechnician);
    await expect(cw.verifiedMember(demo, restricted)).resolves.toMatchObject({
      member: { identifier: demoRestrictedTechnician.identifier },
      excludedServiceBoardIds: [2, 3],
    });
    await expect(cw.verifiedMember(demo, jsmith)).resolves.toMatchObject({ excludedServiceBoardIds: [] });
    expect(memberCalls()).toHaveLength(2);
  });

  it('asks ConnectWise again after forgetMember, for every set of that member’s credentials', async () => {
    fresh();
    sim.calls.clear();
    await cw.verifyMember(demo, jsmith);
    await cw.verifyMember(demo, jsmith);
    expect(memberCalls()).toHaveLength(1);
    cw.forgetMember(demo, demoTechnician.identifier.toUpperCase());
    await cw.verifyMember(demo, jsmith);
    expect(memberCalls()).toHaveLength(2);
  });
});
