import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoConnection, northwindConnection } from '../../support/tenant-connections.ts';
import { z } from 'zod';
import { CONNECTWISE_ACCEPT } from '../../../server/connectwise/api-version.ts';
import { createConnectWise } from '../../../server/connectwise/connectwise.ts';
import { ConnectWiseHttpError } from '../../../server/connectwise/errors/ConnectWiseHttpError.ts';
import { SystemInfo } from '../../../server/connectwise/schemas/system-info.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import {
  cloudInstance,
  demoApiMember,
  demoClientId,
  demoCompanyId,
  demoTechnician,
  demoTicketIds,
} from '../../../server/simulated-connectwise/demo.ts';
import type { MemberAuthentication } from '../../../shared/member-authentication.ts';

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
const seen: Request[] = [];
beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' });
  server.events.on('request:start', (event) => {
    seen.push(event.request);
  });
});
afterEach(() => {
  server.resetHandlers();
  sim.reset();
  seen.length = 0;
});
afterAll(() => server.close());

const cw = createConnectWise({ allowPrivateNetwork: false, timeoutMs: 1000, totalTimeoutMs: 3000 });
afterAll(() => cw.close());

const demo = demoConnection;
const northwind = northwindConnection;
const jsmith: MemberAuthentication = {
  companyid: demoCompanyId,
  memberid: demoTechnician.identifier,
  memberHash: demoTechnician.memberHash,
  memberContext: demoTechnician.memberContext,
};

const restCalls = () => seen.filter((r) => r.url.includes('/apis/3.0/'));

describe('requests with the API keys', () => {
  it('sends Basic company+public:private, the clientId and the pinned Accept version', async () => {
    await cw.api(demo).get('system/info', SystemInfo);
    const [call] = restCalls();
    expect(call?.url).toBe('https://cw.demo-msp.example/v4_6_release/apis/3.0/system/info');
    const auth = call?.headers.get('authorization') ?? '';
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toBe(
      `${demoCompanyId}+${demoApiMember.publicKey}:${demoApiMember.privateKey}`,
    );
    expect(call?.headers.get('clientid')).toBe(demoClientId);
    expect(call?.headers.get('accept')).toBe(CONNECTWISE_ACCEPT);
    expect(CONNECTWISE_ACCEPT).toBe('application/vnd.connectwise.com+json; version=2025.8');
    expect(call?.headers.get('cookie')).toBeNull();
  });

  it('calls the cloud api- host with the discovered codebase, after one companyinfo call on the UI host', async () => {
    const api = cw.api(northwind);
    expect(await api.apiBase()).toBe(`https://${cloudInstance.apiHost}/${cloudInstance.codebase}apis/3.0`);
    await api.get('system/info', SystemInfo);
    await api.get('system/info', SystemInfo);
    expect(sim.calls.list({ path: '/login/companyinfo/*' }).map((c) => c.host)).toEqual([cloudInstance.uiHost]);
    expect(sim.calls.list({ path: '*/system/info' }).map((c) => c.host)).toEqual([cloudInstance.apiHost, cloudInstance.apiHost]);
  });

  it('adds search parameters and keeps ConnectWise\'s error message on a 401', async () => {
    const tickets = await cw
      .api(demo)
      .get('service/tickets', z.array(z.looseObject({ id: z.number() })), { searchParams: { pageSize: 2, fields: 'id' } });
    expect(tickets.length).toBeLessThanOrEqual(2);
    expect(new URL(restCalls()[0]!.url).searchParams.get('pageSize')).toBe('2');

    const err = await cw
      .api({ ...demo, privateKey: 'wrong' })
      .get('system/info', SystemInfo)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectWiseHttpError);
    expect(err).toMatchObject({ status: 401, credentials: 'api-keys', endpoint: 'system/info' });
    expect((err as ConnectWiseHttpError).cwMessage).not.toBe('');
    expect((err as Error).message).not.toContain('wrong');
  });

  it('refuses a path that would leave the API base before sending anything', async () => {
    await expect(cw.api(demo).get('//evil.example/x', SystemInfo)).rejects.toThrow(TypeError);
    await expect(cw.api(demo).get('https://evil.example/x', SystemInfo)).rejects.toThrow(TypeError);
    expect(restCalls()).toEqual([]);
  });

  it('never retries a POST, even on a 503', async () => {
    sim.faults.set({ kind: 'server-error', status: 503, method: 'POST', path: '*/system/connectwisehostedsetups' });
    await expect(
      cw.api(demo).post('system/connectwisehostedsetups', { screenId: 4 }, z.looseObject({ id: z.number() })),
    ).rejects.toMatchObject({ status: 503 });
    expect(sim.calls.count({ method: 'POST' })).toBe(1);
  });

  it('retries a GET after a 429 with Retry-After', async () => {
    sim.faults.set({ kind: 'rate-limit', retryAfterSeconds: 0, path: '*/system/info', count: 1 });
    await expect(cw.api(demo).get('system/info', SystemInfo)).resolves.toBeDefined();
    expect(sim.calls.count({ path: '*/system/info' })).toBe(2);
  });

  it('reports a login page as not_json and truncated JSON as malformed_json', async () => {
    sim.faults.set({ kind: 'html-login', path: '*/system/info', count: 1 });
    await expect(cw.api(demo).get('system/info', SystemInfo)).rejects.toMatchObject({ reason: 'not_json' });
    sim.faults.set({ kind: 'truncated-json', path: '*/system/info', count: 1 });
    await expect(cw.api(demo).get('system/info', SystemInfo)).rejects.toMatchObject({ reason: 'malformed_json' });
  });
});

describe('requests as the member', () => {
  it('reads a ticket with the member\'s credentials in the form verification learned', async () => {
    await cw.verifyMember(demo, jsmith);
    seen.length = 0;
    const ticket = await cw
      .api(demo)
      .get(`service/tickets/${demoTicketIds.helpDeskOpen}`, z.looseObject({ id: z.number(), board: z.looseObject({ id: z.number() }) }), {
        searchParams: { fields: 'id,board' },
        as: jsmith,
      });
    expect(ticket.id).toBe(demoTicketIds.helpDeskOpen);
    const [call] = restCalls();
    expect(restCalls()).toHaveLength(1);
    expect(call?.headers.get('cookie')).toContain(`memberId=${demoTechnician.identifier}`);
    expect(call?.headers.get('authorization')).toBeNull();
    expect(call?.headers.get('clientid')).toBe(demoClientId);
  });

  it('learns the form first when none is known yet, and never falls back to the API keys', async () => {
    const fresh = createConnectWise({ allowPrivateNetwork: false });
    try {
      const { memberContext: _c, ...noContext } = jsmith;
      await fresh.api(demo).get('system/info', SystemInfo, { as: noContext });
      const auths = sim.calls.list({ path: '*/apis/3.0/*' }).map((c) => c.auth);
      expect(auths).not.toContain('api');
      expect(auths.at(-1)).toBe('member-basic');
    } finally {
      await fresh.close();
    }
  });

  it('turns a rejected member into MemberRejectedError, not a read with the keys', async () => {
    const fresh = createConnectWise({ allowPrivateNetwork: false });
    try {
      await expect(
        fresh.api(demo).get('system/info', SystemInfo, { as: { ...jsmith, memberHash: 'forged' } }),
      ).rejects.toMatchObject({ name: 'MemberRejectedError', reason: 'credentials_rejected' });
      expect(sim.calls.list().map((c) => c.auth)).not.toContain('api');
    } finally {
      await fresh.close();
    }
  });
});
