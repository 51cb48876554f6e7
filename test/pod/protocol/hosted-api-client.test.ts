import { afterEach, describe, expect, it } from 'vitest';
import { hostileOrigins } from '../../support/hostile-origins.ts';
import {
  HostedApiClosedError,
  HostedApiTimeoutError,
  createHostedApiClient,
  type HostedApiClientOptions,
  type HostWindow,
  type ProtocolLogEntry,
} from '../../../pod/protocol/hosted-api-client.ts';
import { createFakeWindow, cwOrigin, type FakeWindow } from './support/fake-window.ts';
import { createRandom } from './support/random.ts';

const nilearOrigin = 'https://mtx.nilear.example';
const memberAuth = {
  companyid: 'acme',
  memberid: 'jdoe',
  memberHash: 'secret-member-hash',
  memberContext: 'secret-member-context',
  memberEmail: 'jdoe@example.com',
  codeBase: 'v4_6_release/',
  ssoAccessToken: 'secret-sso-token',
};
const screenOf = (id: number) => ({ screen: 'ticket', id, hostedAs: 'pod' });
const onLoad = (_id: string, id: number) => ({ event: 'onLoad', _id, data: { screenObject: screenOf(id) } });
const authReply = (_id?: string) => ({ response: 'getmemberauthentication', _id, data: memberAuth });

// Every setup is checked after its test: nothing posted to "*", nothing to a foreign origin,
// nothing but strings.
const checks: { fake: FakeWindow; allowed: readonly string[] }[] = [];
afterEach(() => {
  for (const { fake, allowed } of checks.splice(0)) {
    for (const { data, targetOrigin } of fake.posted) {
      expect(targetOrigin).not.toBe('*');
      expect(allowed).toContain(targetOrigin);
      expect(typeof data).toBe('string');
    }
  }
});

function setup(options: Partial<HostedApiClientOptions> = {}) {
  const fake = createFakeWindow();
  const logs: ProtocolLogEntry[] = [];
  const expectedOrigins = options.expectedOrigins ?? [cwOrigin];
  const client = createHostedApiClient({
    win: fake.win,
    expectedOrigins,
    mode: 'connectwise',
    log: (entry) => logs.push(entry),
    authTimeoutMs: 1_000,
    ...options,
  });
  checks.push({ fake, allowed: expectedOrigins });
  const state = () => ({
    status: client.status.value,
    frameId: client.frameId.value,
    screen: client.screen.value,
    acceptedOrigin: client.acceptedOrigin.value,
  });
  return { fake, client, logs, state };
}

describe('start', () => {
  it('sends {"message":"ready"} as a JSON string to each expected origin, once', () => {
    const { fake, client } = setup({ expectedOrigins: [cwOrigin, 'https://cw.example.com:8443'] });
    expect(client.status.value).toBe('idle');
    client.start();
    client.start();
    expect(fake.posted).toEqual([
      { data: '{"message":"ready"}', targetOrigin: cwOrigin },
      { data: '{"message":"ready"}', targetOrigin: 'https://cw.example.com:8443' },
    ]);
    expect(client.status.value).toBe('ready_sent');
  });

  it('posts to the normalised form of a configured origin and never to an invalid one', () => {
    const { fake, client, logs } = setup({ expectedOrigins: ['HTTPS://NA.myconnectwise.net:443/', '*', 'null'] });
    client.start();
    expect(fake.posted.map((p) => p.targetOrigin)).toEqual([cwOrigin]);
    expect(logs.some((l) => l.level === 'warn' && l.detail === '*, null')).toBe(true);
    checks.pop(); // the raw config strings differ from the normalised target by design
  });
});

describe('handshake', () => {
  const steps = {
    frame: (fake: FakeWindow) => fake.fromHost({ MessageFrameID: 'f1' }),
    auth: (fake: FakeWindow) => fake.fromHost(authReply('r1')),
    load: (fake: FakeWindow) => fake.fromHost(onLoad('e1', 77)),
  } as const;
  type Step = keyof typeof steps;
  const orders: Step[][] = [
    ['frame', 'auth', 'load'],
    ['frame', 'load', 'auth'],
    ['auth', 'frame', 'load'],
    ['auth', 'load', 'frame'],
    ['load', 'frame', 'auth'],
    ['load', 'auth', 'frame'],
  ];

  it.each(orders)('works when the host sends %s, %s, %s', async (...order) => {
    const { fake, client } = setup();
    client.start();
    const auth = client.requestMemberAuthentication();
    const seen: number[] = [];
    client.onScreen((s) => seen.push(s.id));
    for (const step of order) steps[step](fake);
    await expect(auth).resolves.toEqual(memberAuth);
    expect(client.status.value).toBe('authenticated');
    expect(client.frameId.value).toBe('f1');
    expect(client.screen.value).toEqual(screenOf(77));
    expect(client.acceptedOrigin.value).toBe(cwOrigin);
    expect(seen).toEqual([77]);
    expect(client.stats).toEqual({ accepted: 3, ignored: 0 });
    const sent = fake.sent();
    const frameKnownAtLoad = order.indexOf('frame') < order.indexOf('load');
    expect(sent).toContainEqual(
      frameKnownAtLoad
        ? { event: 'onLoad', _id: 'e1', result: 'success', frameID: 'f1' }
        : { event: 'onLoad', _id: 'e1', result: 'success' },
    );
    // The auth request waits for the frame id, however late it comes.
    expect(sent.filter((m) => (m as { hosted_request?: string }).hosted_request !== undefined)).toEqual([
      { hosted_request: 'getMemberAuthentication', frameID: 'f1' },
    ]);
  });

  it('sends nothing but ready until the frame id arrives, then the waiting request with it', async () => {
    const { fake, client } = setup();
    client.start();
    const auth = client.requestMemberAuthentication();
    client.setDirty(true);
    expect(fake.sent()).toEqual([{ message: 'ready' }]);
    fake.fromHost({ MessageFrameID: 'frame-9' });
    expect(fake.sentSince(1)).toEqual([
      { hosted_request: 'getMemberAuthentication', frameID: 'frame-9' },
      { hosted_request: 'setDirty', args: { dirty: true }, frameID: 'frame-9' },
    ]);
    expect(client.status.value).toBe('framed');
    fake.fromHost(authReply('r1'));
    await expect(auth).resolves.toEqual(memberAuth);
    expect(client.status.value).toBe('authenticated');
  });

  it('uses the latest MessageFrameID from its parent, as ConnectWise\'s own client does', () => {
    const { fake, client, logs } = setup();
    client.start();
    fake.fromHost({ MessageFrameID: 'first' });
    fake.fromHost({ MessageFrameID: 'second' });
    expect(client.frameId.value).toBe('second');
    expect(client.stats).toEqual({ accepted: 2, ignored: 0 });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', message: expect.stringContaining('new MessageFrameID') }));
    client.refreshScreen();
    expect(fake.sent().at(-1)).toEqual({ hosted_request: 'refreshScreen', args: {}, frameID: 'second' });
  });

  it('takes a new MessageFrameID only from the parent on the pinned origin', () => {
    const { fake, client } = setup({ expectedOrigins: [cwOrigin, nilearOrigin] });
    client.start();
    fake.fromHost({ MessageFrameID: 'first' });
    fake.fromHost({ MessageFrameID: 'from-another-window' }, { source: {} });
    fake.fromHost({ MessageFrameID: 'from-a-foreign-origin' }, { origin: 'https://evil.example' });
    fake.fromHost({ MessageFrameID: 'from-the-other-allowed-origin' }, { origin: nilearOrigin });
    expect(client.frameId.value).toBe('first');
    expect(client.stats).toEqual({ accepted: 1, ignored: 3 });
    // Positive control: the same message from the parent on the pinned origin is taken.
    fake.fromHost({ MessageFrameID: 'next' });
    expect(client.frameId.value).toBe('next');
  });

  it('accepts a member authentication with null optional fields and unknown fields', async () => {
    const { fake, client } = setup();
    client.start();
    fake.fromHost({ MessageFrameID: 'f1' });
    const auth = client.requestMemberAuthentication();
    fake.fromHost({
      response: 'getmemberauthentication',
      _id: 'r1',
      data: { ...memberAuth, memberEmail: null, ssoAccessToken: null, ssoIdToken: null, site: null, codeBase: null, futureField: { x: 1 } },
    });
    const data = await auth;
    expect(JSON.parse(JSON.stringify(data))).toStrictEqual({
      companyid: 'acme',
      memberid: 'jdoe',
      memberHash: 'secret-member-hash',
      memberContext: 'secret-member-context',
    });
    expect(client.status.value).toBe('authenticated');
  });

  it('never moves the status backwards', async () => {
    const { fake, client } = setup();
    client.start();
    const auth = client.requestMemberAuthentication();
    fake.fromHost(authReply('r1'));
    await auth;
    fake.fromHost({ MessageFrameID: 'late' });
    expect(client.status.value).toBe('authenticated');
    expect(client.frameId.value).toBe('late');
  });
});

describe('events', () => {
  it.each([
    ['onLoad', onLoad('e1', 5)],
    ['beforeSave (no handler)', { event: 'beforeSave', _id: 'e2', data: { screenObject: screenOf(5) } }],
    ['an unknown event', { event: 'beforeBack', _id: 'e3' }],
    ['onLoad with an unusable screen object', { event: 'onLoad', _id: 'e4', data: { screenObject: { screen: 'ticket', id: 'x' } } }],
  ])('acknowledges %s with {event,_id,result:"success",frameID} to the host origin', (_what, event) => {
    const { fake, client } = setup();
    client.start();
    fake.fromHost({ MessageFrameID: 'f1' });
    const before = fake.posted.length;
    fake.fromHost(event);
    expect(fake.posted.slice(before)).toEqual([
      { data: JSON.stringify({ event: event.event, _id: event._id, result: 'success', frameID: 'f1' }), targetOrigin: cwOrigin },
    ]);
  });

  it('leaves the screen alone when an onLoad has no usable screen object', () => {
    const { fake, client } = setup();
    fake.fromHost(onLoad('e1', 5));
    fake.fromHost({ event: 'onLoad', _id: 'e2', data: { screenObject: { screen: 'ticket', id: -1 } } });
    expect(client.screen.value).toEqual(screenOf(5));
  });

  it('follows the technician to another ticket without a reload, every time', () => {
    const { fake, client } = setup();
    const seen: unknown[] = [];
    const values: unknown[] = [];
    const stop = client.onScreen((s) => seen.push(s));
    client.onScreen(() => values.push(client.screen.value));
    fake.fromHost(onLoad('e1', 100));
    fake.fromHost({ event: 'onLoad', _id: 'e2', args: { screen: 'Ticket', id: '200' } });
    fake.fromHost(onLoad('e3', 200));
    expect(seen).toEqual([screenOf(100), { screen: 'ticket', id: 200 }, screenOf(200)]);
    expect(values).toEqual(seen);
    expect(client.screen.value).toEqual(screenOf(200));
    stop();
    fake.fromHost(onLoad('e4', 300));
    expect(seen).toHaveLength(3);
    expect(client.screen.value).toEqual(screenOf(300));
  });

  it('ignores an event without _id in ConnectWise mode', () => {
    const { fake, client, state } = setup();
    const before = state();
    fake.fromHost({ event: 'onLoad', data: { screenObject: screenOf(1) } });
    expect(state()).toEqual(before);
    expect(fake.posted).toEqual([]);
    expect(client.stats).toEqual({ accepted: 0, ignored: 1 });
  });

  it('survives an onScreen listener that throws', () => {
    const { fake, client } = setup();
    const seen: number[] = [];
    client.onScreen(() => {
      throw new Error('listener bug');
    });
    client.onScreen((s) => seen.push(s.id));
    expect(() => fake.fromHost(onLoad('e1', 9))).not.toThrow();
    expect(seen).toEqual([9]);
  });
});

describe('beforeSave', () => {
  const beforeSave = { event: 'beforeSave', _id: 'bs1', data: { screenObject: screenOf(5) } };

  function framed(options: Partial<HostedApiClientOptions> = {}) {
    const s = setup(options);
    s.client.start();
    s.fake.fromHost({ MessageFrameID: 'f1' });
    return s;
  }

  it('answers the handler\'s refusal with result "failure" and its reasons', () => {
    const { fake, client } = framed();
    client.setBeforeSaveHandler(() => ({ result: 'failure', errors: ['Finish the time entry first.'] }));
    fake.fromHost(beforeSave);
    expect(fake.sent().at(-1)).toEqual({
      event: 'beforeSave',
      _id: 'bs1',
      result: 'failure',
      errors: ['Finish the time entry first.'],
      frameID: 'f1',
    });
  });

  it('answers an async success once it resolves', async () => {
    const { fake, client } = framed();
    let release!: () => void;
    client.setBeforeSaveHandler(() => new Promise((resolve) => (release = () => resolve({ result: 'success' }))));
    const before = fake.posted.length;
    fake.fromHost(beforeSave);
    expect(fake.posted.length).toBe(before);
    release();
    await Promise.resolve();
    await Promise.resolve();
    expect(fake.sentSince(before)).toEqual([{ event: 'beforeSave', _id: 'bs1', result: 'success', frameID: 'f1' }]);
  });

  it.each([
    ['throws', () => { throw new Error('bug'); }],
    ['rejects', () => Promise.reject(new Error('bug'))],
    ['returns something that is not an answer', () => ({ ok: true }) as never],
    ['returns an over-long reason', () => ({ result: 'failure' as const, errors: ['x'.repeat(501)] })],
  ])('refuses the save with a reason when the handler %s', async (_what, handler) => {
    const { fake, client } = framed();
    client.setBeforeSaveHandler(handler);
    const before = fake.posted.length;
    fake.fromHost(beforeSave);
    await new Promise((resolve) => setImmediate(resolve));
    const answers = fake.sentSince(before);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ event: 'beforeSave', _id: 'bs1', result: 'failure', frameID: 'f1' });
    expect((answers[0] as { errors: string[] }).errors[0]).toMatch(/pod/);
  });

  it('refuses the save when the handler does not answer in time, and only once', async () => {
    const { fake, client } = framed({ beforeSaveTimeoutMs: 500 });
    let release!: () => void;
    client.setBeforeSaveHandler(() => new Promise((resolve) => (release = () => resolve({ result: 'success' }))));
    const before = fake.posted.length;
    fake.fromHost(beforeSave);
    fake.advance(499);
    expect(fake.posted.length).toBe(before);
    fake.advance(1);
    expect(fake.sentSince(before)).toEqual([
      { event: 'beforeSave', _id: 'bs1', result: 'failure', errors: ['The ticket pod did not answer in time.'], frameID: 'f1' },
    ]);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.posted.length).toBe(before + 1);
  });
});

describe('requestMemberAuthentication', () => {
  it('de-duplicates while in flight and resolves every caller with the parsed data', async () => {
    const { fake, client } = setup();
    client.start();
    fake.fromHost({ MessageFrameID: 'f1' });
    const a = client.requestMemberAuthentication();
    const b = client.requestMemberAuthentication();
    expect(b).toBe(a);
    expect(fake.sent().filter((m) => JSON.stringify(m).includes('getMemberAuthentication'))).toHaveLength(1);
    fake.fromHost({ ...authReply('r1'), data: { ...memberAuth, extra: 'kept by the loose schema' } });
    await expect(a).resolves.toMatchObject(memberAuth);
    // A later call asks again (the memberHash may have changed).
    void client.requestMemberAuthentication();
    expect(fake.sent().filter((m) => JSON.stringify(m).includes('getMemberAuthentication'))).toHaveLength(2);
  });

  it('ignores a reply nobody asked for, and a reply without _id in ConnectWise mode', () => {
    const { fake, client, state } = setup();
    client.start();
    fake.fromHost({ MessageFrameID: 'f1' });
    const before = state();
    fake.fromHost(authReply('r1'));
    void client.requestMemberAuthentication().catch(() => {});
    fake.fromHost(authReply());
    expect(state()).toEqual(before);
    expect(client.stats.ignored).toBe(2);
  });

  it.each([
    ['ready_sent', 'never answered with a frame id', (_fake: FakeWindow) => {}],
    ['framed', 'answered "ready" but not this request', (fake: FakeWindow) => fake.fromHost({ MessageFrameID: 'f1' })],
  ])('rejects after the timeout saying the handshake reached %s', async (step, text, act) => {
    const { fake, client } = setup({ authTimeoutMs: 2_000 });
    client.start();
    act(fake);
    const auth = client.requestMemberAuthentication();
    fake.advance(1_999);
    let settled = false;
    auth.catch(() => {}).finally(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    fake.advance(1);
    const error = await auth.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostedApiTimeoutError);
    expect(error).toMatchObject({ step, request: 'getMemberAuthentication', timeoutMs: 2_000 });
    expect((error as Error).message).toContain(text);
  });

  it('says the pod had not started when start() was never called', async () => {
    const { fake, client } = setup();
    const auth = client.requestMemberAuthentication();
    fake.advance(1_000);
    await expect(auth).rejects.toMatchObject({ step: 'idle' });
  });

  it('drops a request that timed out waiting for the frame id', async () => {
    const { fake, client } = setup();
    client.start();
    const auth = client.requestMemberAuthentication();
    fake.advance(1_000);
    await auth.catch(() => {});
    fake.fromHost({ MessageFrameID: 'f1' });
    expect(fake.sent()).toEqual([{ message: 'ready' }]);
  });

  it('never writes member credentials to the log', async () => {
    const { fake, client, logs } = setup();
    client.start();
    const auth = client.requestMemberAuthentication();
    fake.fromHost({ MessageFrameID: 'f1' });
    fake.fromHost(authReply('r1'));
    fake.fromHost(authReply('r2'));
    fake.fromHost({ ...authReply('r3'), data: { ...memberAuth, memberid: 5 } });
    await auth;
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toMatch(/secret-/);
  });
});

describe('requests', () => {
  it('sends openScreen, refreshScreen and setDirty in the documented shapes', () => {
    const { fake, client } = setup();
    client.start();
    fake.fromHost({ MessageFrameID: 'f1' });
    const before = fake.posted.length;
    client.openScreen({ screen: 'company', id: 19, newTab: true });
    client.refreshScreen();
    client.setDirty(false);
    expect(fake.posted.slice(before)).toEqual([
      { data: '{"hosted_request":"openScreen","args":{"newTab":true,"screen":"company","id":19},"frameID":"f1"}', targetOrigin: cwOrigin },
      { data: '{"hosted_request":"refreshScreen","args":{},"frameID":"f1"}', targetOrigin: cwOrigin },
      { data: '{"hosted_request":"setDirty","args":{"dirty":false},"frameID":"f1"}', targetOrigin: cwOrigin },
    ]);
  });

  it('logs and drops a request with invalid arguments instead of throwing', () => {
    const { fake, client, logs } = setup();
    client.start();
    fake.fromHost({ MessageFrameID: 'f1' });
    const before = fake.posted.length;
    expect(() => client.openScreen({ screen: 'ticket', id: 0, newTab: false })).not.toThrow();
    expect(fake.posted.length).toBe(before);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', detail: 'openScreen' }));
  });
});

describe('origins and sources', () => {
  it.each(hostileOrigins)('ignores a valid frame id from the parent at %j', (origin) => {
    const { fake, client, logs, state } = setup();
    client.start();
    const before = state();
    fake.fromHost({ MessageFrameID: 'evil' }, { origin });
    expect(state()).toEqual(before);
    expect(client.stats).toEqual({ accepted: 0, ignored: 1 });
    expect(logs.at(-1)).toMatchObject({ level: 'debug', reason: 'origin_not_allowed' });
  });

  it.each([
    ['another window', { postMessage() {} }],
    ['null', null],
    ['undefined', undefined],
  ])('ignores the right origin when the source is %s, not the parent', (_what, source) => {
    const { fake, client, logs, state } = setup();
    client.start();
    const before = state();
    fake.fromHost({ MessageFrameID: 'evil' }, { source });
    fake.fromHost(onLoad('e1', 666), { source });
    expect(state()).toEqual(before);
    expect(fake.posted).toHaveLength(1);
    expect(client.stats).toEqual({ accepted: 0, ignored: 2 });
    expect(logs.at(-1)).toMatchObject({ level: 'debug', reason: 'source_not_parent' });
  });

  it.each([
    ['upper-case host', 'https://NA.MyConnectWise.net'],
    ['explicit :443', 'https://na.myconnectwise.net:443'],
  ])('accepts the real origin written with an %s', (_what, origin) => {
    const { fake, client } = setup();
    fake.fromHost({ MessageFrameID: 'f1' }, { origin });
    expect(client.frameId.value).toBe('f1');
    expect(client.acceptedOrigin.value).toBe(cwOrigin);
  });

  it('after accepting one origin, posts only there and hears no other', () => {
    const { fake, client, logs } = setup({ expectedOrigins: [cwOrigin, nilearOrigin] });
    client.start();
    expect(fake.posted.map((p) => p.targetOrigin)).toEqual([cwOrigin, nilearOrigin]);
    fake.fromHost({ MessageFrameID: 'f1' }, { origin: nilearOrigin });
    expect(client.acceptedOrigin.value).toBe(nilearOrigin);
    const before = fake.posted.length;
    fake.fromHost(onLoad('e1', 5), { origin: cwOrigin });
    expect(logs.at(-1)).toMatchObject({ reason: 'origin_not_pinned' });
    expect(client.screen.value).toBeNull();
    fake.fromHost(onLoad('e2', 6), { origin: nilearOrigin });
    client.setDirty(true);
    void client.requestMemberAuthentication().catch(() => {});
    const targets = fake.posted.slice(before).map((p) => p.targetOrigin);
    expect(targets).toHaveLength(3);
    expect(new Set(targets)).toEqual(new Set([nilearOrigin]));
  });

  it.each([
    ['an object instead of a string', { MessageFrameID: 'f1' }, 'not_a_string'],
    ['non-JSON', 'hello', 'not_json'],
    ['an unknown shape', '{"type":"webpackOk"}', 'unknown_shape'],
    ['a huge string', `{"MessageFrameID":"${'x'.repeat(100_000)}"}`, 'too_long'],
    ['a wrong type', '{"MessageFrameID":42}', 'invalid'],
    ['an unexpected response', '{"response":"getscreenobject","_id":"r"}', 'unexpected_response'],
  ])('ignores and counts %s from the parent', (_what, data, reason) => {
    const { fake, client, logs, state } = setup();
    client.start();
    const before = state();
    fake.dispatch({ data, origin: cwOrigin, source: fake.parent });
    expect(state()).toEqual(before);
    expect(client.stats).toEqual({ accepted: 0, ignored: 1 });
    expect(logs.at(-1)).toMatchObject({ level: 'debug', message: 'ignored a message', reason });
  });

  it('survives a MessageEvent whose properties throw, and a logger that throws', () => {
    const { fake, client } = setup({
      log: () => {
        throw new Error('logger bug');
      },
    });
    const trap = {
      get data(): unknown {
        throw new Error('getter');
      },
      origin: cwOrigin,
      source: fake.parent,
    };
    expect(() => fake.dispatch(trap)).not.toThrow();
    expect(client.stats.ignored).toBe(1);
  });
});

describe('Nilear mode', () => {
  function nilear() {
    return setup({ mode: 'nilear', expectedOrigins: [nilearOrigin] });
  }
  const from = { origin: nilearOrigin };

  it('sends requests without frameID, at once, even after a frame id arrives', () => {
    const { fake, client } = nilear();
    client.start();
    void client.requestMemberAuthentication();
    expect(fake.sent()).toEqual([{ message: 'ready' }, { hosted_request: 'getMemberAuthentication' }]);
    fake.fromHost({ MessageFrameID: 'f1' }, from);
    client.setDirty(true);
    expect(fake.sent().at(-1)).toEqual({ hosted_request: 'setDirty', args: { dirty: true } });
  });

  it('asks for member authentication on every onLoad and acknowledges events without _id', async () => {
    const { fake, client } = nilear();
    client.start();
    fake.fromHost({ event: 'onLoad', data: { screenObject: screenOf(1) } }, from);
    expect(fake.sentSince(1)).toEqual([{ event: 'onLoad', result: 'success' }, { hosted_request: 'getMemberAuthentication' }]);
    const auth = client.requestMemberAuthentication();
    // A second onLoad while the first request is out asks again (Nilear wants it during onLoad).
    fake.fromHost({ event: 'onLoad', data: { screenObject: screenOf(2) } }, from);
    expect(fake.sentSince(3)).toEqual([{ event: 'onLoad', result: 'success' }, { hosted_request: 'getMemberAuthentication' }]);
    fake.fromHost({ response: 'getmemberauthentication', data: { companyid: 'acme', memberid: 'jdoe', memberHash: 'h' } }, from);
    await expect(auth).resolves.toEqual({ companyid: 'acme', memberid: 'jdoe', memberHash: 'h' });
    expect(client.status.value).toBe('authenticated');
    expect(client.screen.value).toEqual(screenOf(2));
  });

  it('de-duplicates repeated auth replies', async () => {
    const { fake, client } = nilear();
    client.start();
    const resolved: unknown[] = [];
    void client.requestMemberAuthentication().then((d) => resolved.push(d));
    fake.fromHost(authReply(), from);
    fake.fromHost(authReply(), from);
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toHaveLength(1);
    expect(client.stats).toEqual({ accepted: 1, ignored: 1 });
  });

  it('does not leave an unhandled rejection when an onLoad-started request times out', () => {
    const { fake, client } = nilear();
    client.start();
    fake.fromHost({ event: 'onLoad', data: { screenObject: screenOf(1) } }, from);
    expect(() => fake.advance(1_000)).not.toThrow();
    expect(client.status.value).toBe('ready_sent');
  });
});

describe('dispose', () => {
  it('stops listening, rejects a pending request and sends nothing more', async () => {
    const { fake, client } = setup();
    client.start();
    const auth = client.requestMemberAuthentication();
    client.dispose();
    await expect(auth).rejects.toBeInstanceOf(HostedApiClosedError);
    expect(fake.listenerCount()).toBe(0);
    const before = fake.posted.length;
    client.setDirty(true);
    client.start();
    await expect(client.requestMemberAuthentication()).rejects.toBeInstanceOf(HostedApiClosedError);
    expect(fake.posted.length).toBe(before);
  });
});

describe('types', () => {
  it('accepts the real window as a HostWindow', () => {
    const accepts = (_w: HostWindow) => true;
    // Type-level check: compiles only if Window fits HostWindow; never called with a real window here.
    const check: (w: Window) => boolean = accepts;
    expect(typeof check).toBe('function');
  });
});

describe('fuzz', () => {
  const seed = 20_240_611;
  const keys = ['MessageFrameID', 'event', '_id', 'data', 'screenObject', 'screen', 'id', 'hostedAs', 'response', 'args',
    'companyid', 'memberid', 'memberHash', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'polluted'];

  function randomValue(random: ReturnType<typeof createRandom>, depth: number): unknown {
    switch (random.int(depth > 3 ? 6 : 9)) {
      case 0: return null;
      case 1: return random.next() < 0.5;
      case 2: return random.pick([0, -1, 1, 1.5, 2 ** 31, Number.MAX_SAFE_INTEGER, 123]);
      case 3: return random.pick(['', 'onLoad', 'beforeSave', 'ticket', 'TICKET', '123', 'getmemberauthentication', 'f1', 'x'.repeat(300)]);
      case 4: return String.fromCharCode(...Array.from({ length: random.int(20) }, () => random.int(0xffff)));
      case 5: return random.pick(keys);
      case 6: return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
      default: {
        const object: Record<string, unknown> = {};
        for (let i = random.int(5); i > 0; i--) Object.defineProperty(object, random.pick(keys), { value: randomValue(random, depth + 1), enumerable: true, configurable: true, writable: true });
        return object;
      }
    }
  }

  const valid = (random: ReturnType<typeof createRandom>): Record<string, unknown> =>
    random.pick([
      () => ({ MessageFrameID: `f${random.int(3)}` }),
      () => onLoad(`e${random.int(100)}`, 1 + random.int(1000)),
      () => ({ event: 'beforeSave', _id: 'b' }),
      () => ({ event: 'onLoad', _id: 'a', args: { screen: 'Ticket', id: String(1 + random.int(9)) } }),
      () => authReply(random.next() < 0.5 ? 'r' : undefined),
    ])();

  function mutate(random: ReturnType<typeof createRandom>, message: Record<string, unknown>): unknown {
    const copy = structuredClone(message) as Record<string, unknown>;
    const target = random.next() < 0.5 && typeof copy.data === 'object' && copy.data !== null ? (copy.data as Record<string, unknown>) : copy;
    const key = random.pick([...Object.keys(target), ...keys]);
    switch (random.int(4)) {
      case 0: delete target[key]; break;
      case 1: Object.defineProperty(target, key, { value: randomValue(random, 1), enumerable: true, configurable: true, writable: true }); break;
      case 2: Object.defineProperty(target, key, { value: 'y'.repeat(random.pick([10, 5_000, 70_000])), enumerable: true, configurable: true, writable: true }); break;
      default: Object.defineProperty(target, '__proto__', { value: { polluted: true, memberHash: 'x' }, enumerable: true, configurable: true, writable: true });
    }
    return copy;
  }

  function randomData(random: ReturnType<typeof createRandom>): unknown {
    switch (random.int(7)) {
      case 0: return JSON.stringify(randomValue(random, 0));
      case 1: return JSON.stringify(mutate(random, valid(random)));
      case 2: return JSON.stringify(valid(random));
      case 3: return JSON.stringify(valid(random)).slice(0, random.int(40));
      case 4: return randomValue(random, 0);
      case 5: return `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"MessageFrameID":${JSON.stringify(randomValue(random, 2))}}`;
      default: return JSON.stringify(mutate(random, valid(random))).replaceAll('"', random.pick(['"', "'", '']));
    }
  }

  it.each(['connectwise', 'nilear'] as const)('survives thousands of random and mutated messages in %s mode', async (mode) => {
    const random = createRandom(seed + (mode === 'nilear' ? 1 : 0));
    const { fake, client, state } = setup({ mode, expectedOrigins: [cwOrigin] });
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    client.start();
    client.setBeforeSaveHandler(() => (random.next() < 0.5 ? { result: 'success' } : { result: 'failure', errors: ['no'] }));
    let dispatched = 0;
    for (let i = 0; i < 4_000; i++) {
      if (i % 50 === 0) void client.requestMemberAuthentication().catch(() => {});
      const origin = random.next() < 0.7 ? cwOrigin : random.pick(hostileOrigins);
      const source = random.next() < 0.85 ? fake.parent : random.pick([null, undefined, {}, fake.win]);
      const before = state();
      const ignoredBefore = client.stats.ignored;
      const data = randomData(random);
      expect(() => fake.dispatch({ data, origin, source }), `seed ${seed} message ${i}`).not.toThrow();
      dispatched++;
      if (client.stats.ignored > ignoredBefore) expect(state(), `seed ${seed} message ${i}`).toEqual(before);
      // The frame id changes only on a message accepted from the parent on the pinned origin.
      if (origin !== cwOrigin || source !== fake.parent) expect(client.frameId.value).toBe(before.frameId);
      if (origin !== cwOrigin || source !== fake.parent) expect(client.stats.ignored, `message ${i}`).toBe(ignoredBefore + 1);
      if (i % 500 === 0) fake.advance(1_000);
    }
    fake.advance(10_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.stats.accepted + client.stats.ignored).toBe(dispatched);
    expect(client.stats.accepted).toBeGreaterThan(100);
    expect(client.stats.ignored).toBeGreaterThan(1_000);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(client.frameId.value).not.toBeNull();
    for (const message of fake.sent()) expect(typeof message).toBe('object');
  });
});
