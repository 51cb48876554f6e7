import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoConnection, northwindConnection } from '../../support/tenant-connections.ts';
import { memberCredentials } from '../../support/members.ts';
import { createConnectWise, type ConnectWise } from '../../../server/connectwise/connectwise.ts';
import { MemberAnswerUnusableError } from '../../../server/connectwise/errors/MemberAnswerUnusableError.ts';
import { memberForms } from '../../../server/connectwise/member-credentials.ts';
import { MyMemberInfo } from '../../../server/connectwise/schemas/my-member-info.ts';
import { classifyConnectWiseFailure } from '../../../server/connectwise/errors/classify-failure.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import { faultPresets } from '../../../server/simulated-connectwise/fault-presets.ts';
import { cloudInstance, demoForgedMemberHash, demoTechnician } from '../../../server/simulated-connectwise/demo.ts';

/**
 * Issue 14 items 2–4 against the simulated ConnectWise: which hosts and codebases
 * verification tries and learns, what an answer that is not a member record means, and
 * the shapes the OpenAPI allows.
 */

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

const jsmith = memberCredentials(demoTechnician);
const kjones = memberCredentials(cloudInstance.technician, cloudInstance.companyId);
// Every member check sent, whoever answered it (msw overrides never reach the simulator's call log).
let sent: { host: string; path: string; status?: number }[] = [];
server.events.on('request:start', ({ request }) => {
  const url = new URL(request.url);
  if (url.pathname.endsWith('/system/myMembers/info')) sent.push({ host: url.host, path: url.pathname });
});
afterEach(() => {
  sent = [];
});
const memberCalls = () => sent;
const simCalls = () => sim.calls.list({ path: '*/system/myMembers/info' });
const routeOf = (c: { host: string; path: string }) => `${c.host}${c.path.replace(/\/system\/myMembers\/info$/, '')}`;

const ui = `${cloudInstance.uiHost}/${cloudInstance.codebase}apis/3.0`;
const uiRelease = `${cloudInstance.uiHost}/v4_6_release/apis/3.0`;
const api = `${cloudInstance.apiHost}/${cloudInstance.codebase}apis/3.0`;
const refuse = (url: string) => server.use(http.get(`https://${url}/system/myMembers/info`, () => HttpResponse.json({ code: 'Unauthorized' }, { status: 401 })));
const html = (url: string) =>
  server.use(http.get(`https://${url}/system/myMembers/info`, () => new HttpResponse('<html><body>Sign in</body></html>', { headers: { 'content-type': 'text/html' } })));
const newHash = (hash: string) => {
  sim.world.get(cloudInstance.companyId)!.members[0]!.memberHashes.push(hash);
  return { ...kjones, memberHash: hash };
};

describe('verification routes', () => {
  it('tries the UI host with the companyinfo codebase, then with v4_6_release/, then the api- host', async () => {
    fresh();
    refuse(ui);
    refuse(uiRelease);
    await expect(cw.verifyMember(northwindConnection, kjones)).resolves.toMatchObject({ identifier: cloudInstance.technician.identifier });
    const order = [...new Set(memberCalls().map(routeOf))];
    expect(order).toEqual([ui, uiRelease, api]);
  });

  it('learns the UI host with v4_6_release/ and goes there first next time', async () => {
    fresh();
    refuse(ui);
    await cw.verifyMember(northwindConnection, kjones);
    expect(simCalls().at(-1)).toMatchObject({ status: 200 });
    expect(routeOf(simCalls().at(-1)!)).toBe(uiRelease);
    sent = [];
    await cw.verifyMember(northwindConnection, newHash('U2ltSGFzaC1zZWNvbmQ='));
    expect(memberCalls().map(routeOf)).toEqual([uiRelease]);
  });

  it('keeps the learned route until it fails, then learns the next one', async () => {
    fresh();
    refuse(ui);
    await cw.verifyMember(northwindConnection, kjones);
    sent = [];
    // The learned route starts answering a page instead of the API: the api- host takes over.
    html(uiRelease);
    await expect(cw.verifyMember(northwindConnection, newHash('U2ltSGFzaC10aGlyZA=='))).resolves.toMatchObject({
      identifier: cloudInstance.technician.identifier,
    });
    expect(routeOf(memberCalls().at(-1)!)).toBe(api);
    sent = [];
    await cw.verifyMember(northwindConnection, newHash('U2ltSGFzaC1mb3VydGg='));
    expect(memberCalls().map(routeOf)).toEqual([api]);
  });

  it('reads data as the member on the learned route', async () => {
    fresh();
    refuse(ui);
    await cw.verifyMember(northwindConnection, kjones);
    sent = [];
    await cw.api(northwindConnection).get('system/myMembers/info', MyMemberInfo, { as: kjones });
    expect(memberCalls().map(routeOf)).toEqual([uiRelease]);
  });

  it('asks an on-premise host once per form: its codebase is v4_6_release/ already', async () => {
    fresh();
    await cw.verifyMember(demoConnection, { ...jsmith, memberHash: demoForgedMemberHash }).catch(() => undefined);
    expect(memberCalls().length).toBeGreaterThan(1);
    expect(memberCalls().length).toBeLessThanOrEqual(memberForms.length);
  });
});

describe('an answer that is not a member record', () => {
  it('HTML with 200 on every host is "ConnectWise unusable", coded, logged by shape, and not cached', async () => {
    fresh();
    sim.faults.set(faultPresets.find((p) => p.id === 'member-check-html')!.rules);
    const err = await cw.verifyMember(northwindConnection, kjones).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MemberAnswerUnusableError);
    expect(err).toMatchObject({ code: 'member_answer_unusable', reason: 'not_json' });
    expect((err as MemberAnswerUnusableError).answers.map((a) => a.host)).toEqual(['ui', 'ui-release', 'api']);
    expect(classifyConnectWiseFailure(err)).toMatchObject({ code: 'connectwise_unreachable' });
    expect(classifyConnectWiseFailure(err)?.code).not.toBe('member_unverified');
    const text = JSON.stringify(logs);
    expect(text).toContain('not_a_member_record');
    expect(text).not.toContain('Sign in to ConnectWise');
    expect(text).not.toContain(kjones.memberHash);
    // Not cached: once ConnectWise answers properly the same credentials verify.
    sim.faults.clear();
    await expect(cw.verifyMember(northwindConnection, kjones)).resolves.toMatchObject({ identifier: cloudInstance.technician.identifier });
  });

  it('JSON of another shape is unusable too, with the fields that did not match', async () => {
    fresh();
    for (const url of [ui, uiRelease, api]) server.use(http.get(`https://${url}/system/myMembers/info`, () => HttpResponse.json({ member: { name: 'x' } })));
    const err = await cw.verifyMember(northwindConnection, kjones).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'MemberAnswerUnusableError', reason: 'bad_shape' });
    expect((err as MemberAnswerUnusableError).answers[0]?.issuePaths).toContain('identifier');
  });

  it('a refusal on one host and a page on another is not a verdict while no route is known', async () => {
    fresh();
    html(ui);
    html(uiRelease);
    const forged = { ...kjones, memberHash: demoForgedMemberHash };
    await expect(cw.verifyMember(northwindConnection, forged)).rejects.toMatchObject({ name: 'MemberAnswerUnusableError' });
  });

  it('a refusal on the learned route is a verdict, whatever other hosts answer', async () => {
    fresh();
    html(ui);
    html(uiRelease);
    await cw.verifyMember(northwindConnection, kjones);
    const forged = { ...kjones, memberHash: demoForgedMemberHash };
    await expect(cw.verifyMember(northwindConnection, forged)).rejects.toMatchObject({ name: 'MemberRejectedError', reason: 'credentials_rejected' });
  });

  it('only a refusal everywhere or another identity means "not verified"', async () => {
    fresh();
    await expect(cw.verifyMember(northwindConnection, { ...kjones, memberHash: demoForgedMemberHash })).rejects.toMatchObject({
      name: 'MemberRejectedError',
      reason: 'credentials_rejected',
    });
  });
});

describe('shapes the OpenAPI allows', () => {
  it('verifies a member whose references have null ids', async () => {
    fresh();
    sim.faults.set(faultPresets.find((p) => p.id === 'null-references')!.rules);
    await expect(cw.verifyMember(northwindConnection, kjones)).resolves.toMatchObject({ identifier: cloudInstance.technician.identifier });
  });

  it('refuses a forged member whose refusals carry only a code', async () => {
    fresh();
    sim.faults.set(faultPresets.find((p) => p.id === 'code-only-errors')!.rules);
    await expect(cw.verifyMember(demoConnection, { ...jsmith, memberHash: demoForgedMemberHash })).rejects.toMatchObject({
      reason: 'credentials_rejected',
    });
  });
});
