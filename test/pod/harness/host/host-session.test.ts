import { describe, expect, it } from 'vitest';
import { parseHostMessage } from '../../../../shared/hosted-api.ts';
import type { HostMode } from '../../../../shared/pod-api.ts';
import { createHostSession, type HostSessionOptions } from '../../../../pod/harness/host/host-session.ts';
import { createMessageLog } from '../../../../pod/harness/host/message-log.ts';
import { memberAuthenticationData } from '../../../../pod/harness/host/member-authentication.ts';
import { sequentialIds } from '../../../../pod/harness/host/ids.ts';
import { fakeFrame, manualTimers } from '../harness-fixtures.ts';

const POD = 'http://127.0.0.1:4000';

function setup(opts: { mode?: HostMode; ticket?: number; extra?: Partial<HostSessionOptions> } = {}) {
  const frame = fakeFrame();
  const timers = manualTimers();
  const state = { mode: opts.mode ?? 'connectwise', ticket: opts.ticket ?? 1001, podOrigin: POD as string | null };
  const log = createMessageLog({ now: () => 0 });
  const openScreens: unknown[] = [];
  let refreshes = 0;
  const session = createHostSession({
    frame: () => frame,
    podOrigin: () => state.podOrigin,
    mode: () => state.mode,
    memberAuthentication: () =>
      memberAuthenticationData({
        member: { identifier: 'jsmith', name: 'Jane', email: 'jane@demo.example', memberHash: 'hash-jsmith', memberContext: 'web' },
        companyId: 'demo',
        site: 'http://127.0.0.1:4001/',
        mode: state.mode,
        codeBase: 'v4_6_release/',
      }),
    screen: () => ({ screen: 'ticket', id: state.ticket, hostedAs: 'pod' }),
    log,
    now: () => 0,
    newId: sequentialIds('x'),
    beforeSaveTimeoutMs: 5000,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    onOpenScreen: (r) => openScreens.push(r),
    onRefreshScreen: () => {
      refreshes += 1;
    },
    ...opts.extra,
  });
  /** A message as the pod iframe would post it. */
  const fromPod = (message: unknown, origin = POD) =>
    session.handleMessage({ source: frame, origin, data: typeof message === 'string' ? message : JSON.stringify(message) });
  const handshake = () => {
    fromPod({ message: 'ready' });
    return session.frameId.value!;
  };
  return { frame, timers, state, log, session, fromPod, handshake, openScreens, refreshes: () => refreshes };
}

describe('host session: handshake', () => {
  it('answers ready with a MessageFrameID, then sends onLoad for the current ticket', () => {
    const { frame, session, fromPod } = setup({ ticket: 1002 });
    fromPod({ message: 'ready' });
    const [first, second] = frame.sent();
    expect(first).toEqual({ MessageFrameID: session.frameId.value });
    expect(session.frameId.value).toMatch(/^x-\d+$/);
    expect(second).toMatchObject({ event: 'onLoad', data: { screenObject: { screen: 'ticket', id: 1002, hostedAs: 'pod' } } });
    expect(typeof second!._id).toBe('string');
  });

  it('gives a pod that says ready again in the same iframe the same frame id', () => {
    const { frame, fromPod } = setup();
    fromPod({ message: 'ready' });
    fromPod({ message: 'ready' });
    const ids = frame.sent().filter((m) => 'MessageFrameID' in m).map((m) => m.MessageFrameID);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('gives a new iframe a new frame id', () => {
    const { session, handshake } = setup();
    const first = handshake();
    session.frameReplaced();
    expect(session.frameId.value).toBeNull();
    expect(handshake()).not.toBe(first);
  });

  it('sends only JSON strings the pod protocol client can parse', () => {
    const { frame, fromPod, handshake, session } = setup();
    const frameID = handshake();
    fromPod({ hosted_request: 'getMemberAuthentication', frameID });
    void session.sendBeforeSave();
    expect(frame.posts.length).toBe(4);
    for (const post of frame.posts) {
      expect(typeof post.message).toBe('string');
      expect(parseHostMessage(post.message).ok).toBe(true);
    }
  });
});

describe('host session: getMemberAuthentication', () => {
  it('answers in ConnectWise mode with _id and codeBase', () => {
    const { frame, fromPod, handshake } = setup();
    const frameID = handshake();
    fromPod({ hosted_request: 'getMemberAuthentication', frameID });
    const reply = frame.sent().at(-1)!;
    expect(Object.keys(reply)).toEqual(['response', '_id', 'data']);
    expect(reply.response).toBe('getmemberauthentication');
    expect(reply.data).toEqual({
      site: 'http://127.0.0.1:4001/',
      companyid: 'demo',
      memberid: 'jsmith',
      memberHash: 'hash-jsmith',
      memberContext: 'web',
      memberEmail: 'jane@demo.example',
      codeBase: 'v4_6_release/',
    });
  });

  it('uses a fresh _id for every response and event', () => {
    const { frame, fromPod, handshake } = setup();
    const frameID = handshake();
    fromPod({ hosted_request: 'getMemberAuthentication', frameID });
    fromPod({ hosted_request: 'getMemberAuthentication', frameID });
    const ids = frame.sent().filter((m) => '_id' in m).map((m) => m._id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  it('does not answer a request without frameID in strict ConnectWise mode, and says why', () => {
    const { frame, fromPod, handshake, log, session } = setup({ extra: { strictness: () => 'strict' } });
    handshake();
    const before = frame.posts.length;
    fromPod({ hosted_request: 'getMemberAuthentication' });
    expect(frame.posts.length).toBe(before);
    expect(session.authAnswered.value).toBe(0);
    expect(log.entries.value.at(-1)).toMatchObject({ direction: 'ignored', kind: 'getMemberAuthentication' });
    expect(log.entries.value.at(-1)!.note).toMatch(/missing frameID/);
  });

  it('does not answer a request before any frame id exists in ConnectWise mode', () => {
    const { frame, fromPod } = setup();
    fromPod({ hosted_request: 'getMemberAuthentication', frameID: 'guess' });
    expect(frame.posts).toHaveLength(0);
  });

  it('answers a request without frameID in Nilear mode, without _id or codeBase', () => {
    const { frame, fromPod, session } = setup({ mode: 'nilear' });
    fromPod({ message: 'ready' });
    fromPod({ hosted_request: 'getMemberAuthentication' });
    const reply = frame.sent().at(-1)!;
    expect(reply.response).toBe('getmemberauthentication');
    expect('_id' in reply).toBe(false);
    expect(reply.data).not.toHaveProperty('codeBase');
    expect(reply.data).toMatchObject({ companyid: 'demo', memberid: 'jsmith', memberHash: 'hash-jsmith' });
    expect(session.authAnswered.value).toBe(1);
  });

  it('answers both copies when a Nilear-mode pod sends the request with and without frameID', () => {
    const { frame, fromPod, handshake, session } = setup({ mode: 'nilear' });
    const frameID = handshake();
    fromPod({ hosted_request: 'getMemberAuthentication', frameID });
    fromPod({ hosted_request: 'getMemberAuthentication' });
    expect(frame.sent().filter((m) => m.response === 'getmemberauthentication')).toHaveLength(2);
    expect(session.authAnswered.value).toBe(2);
  });

  it('refuses a wrong frameID in either mode', () => {
    for (const mode of ['connectwise', 'nilear'] as const) {
      const { frame, fromPod, handshake, log } = setup({ mode });
      handshake();
      const before = frame.posts.length;
      fromPod({ hosted_request: 'getMemberAuthentication', frameID: 'someone-else' });
      expect(frame.posts.length).toBe(before);
      expect(log.entries.value.at(-1)!.note).toMatch(/not this frame's MessageFrameID/);
    }
  });
});

describe('host session: events', () => {
  it('sends a new onLoad with a new _id when the ticket changes, without a new frame id', () => {
    const { frame, handshake, session, state } = setup({ ticket: 1001 });
    const frameId = handshake();
    state.ticket = 1002;
    const id = session.sendOnLoad();
    const onLoads = frame.sent().filter((m) => m.event === 'onLoad');
    expect(onLoads).toHaveLength(2);
    expect(onLoads[1]).toMatchObject({ _id: id, data: { screenObject: { id: 1002 } } });
    expect(onLoads[0]!._id).not.toBe(onLoads[1]!._id);
    expect(session.frameId.value).toBe(frameId);
  });

  it('shows a beforeSave success', async () => {
    const { frame, fromPod, handshake, session, timers } = setup();
    const frameID = handshake();
    const outcome = session.sendBeforeSave();
    const sent = frame.sent().at(-1)!;
    expect(sent).toMatchObject({ event: 'beforeSave', data: { screenObject: { screen: 'ticket' } } });
    expect(session.beforeSave.value).toEqual({ status: 'pending', _id: sent._id });
    fromPod({ event: 'beforeSave', _id: sent._id, result: 'success', frameID });
    await expect(outcome).resolves.toEqual({ status: 'success', _id: sent._id });
    expect(session.beforeSave.value?.status).toBe('success');
    expect(timers.pendingCount()).toBe(0);
  });

  it('shows a beforeSave refusal with the pod errors', async () => {
    const { frame, fromPod, handshake, session } = setup();
    const frameID = handshake();
    const outcome = session.sendBeforeSave();
    const _id = frame.sent().at(-1)!._id;
    fromPod({ event: 'beforeSave', _id, result: 'failure', errors: ['Add a resolution note first'], frameID });
    await expect(outcome).resolves.toEqual({ status: 'failure', _id, errors: ['Add a resolution note first'] });
  });

  it('reports a beforeSave the pod never answers', async () => {
    const { handshake, session, timers } = setup();
    handshake();
    const outcome = session.sendBeforeSave();
    timers.runAll();
    await expect(outcome).resolves.toMatchObject({ status: 'no_answer', afterMs: 5000 });
  });

  it('notes an ack whose _id it never sent', () => {
    const { fromPod, handshake, log } = setup();
    const frameID = handshake();
    fromPod({ event: 'onLoad', _id: 'made-up', result: 'success', frameID });
    expect(log.entries.value.at(-1)).toMatchObject({ direction: 'note' });
    expect(log.entries.value.at(-1)!.raw).toMatch(/unknown or already answered _id "made-up"/);
  });

  it('settles a pending beforeSave when the iframe is replaced', async () => {
    const { handshake, session } = setup();
    handshake();
    const outcome = session.sendBeforeSave();
    session.frameReplaced();
    await expect(outcome).resolves.toMatchObject({ status: 'no_answer' });
  });
});

describe('host session: pod requests', () => {
  it('records setDirty, openScreen and refreshScreen and calls back for the last two', () => {
    const t = setup();
    const frameID = t.handshake();
    t.fromPod({ hosted_request: 'setDirty', args: { dirty: true }, frameID });
    t.fromPod({ hosted_request: 'openScreen', args: { newTab: false, screen: 'ticket', id: 1002 }, frameID });
    t.fromPod({ hosted_request: 'refreshScreen', args: {}, frameID });
    expect(t.session.dirty.value).toBe(true);
    expect(t.session.hostRequests.value.map((r) => r.kind)).toEqual(['setDirty', 'openScreen', 'refreshScreen']);
    expect(t.openScreens).toEqual([{ kind: 'openScreen', atMs: 0, screen: 'ticket', id: 1002, newTab: false }]);
    expect(t.refreshes()).toBe(1);
  });

  it('sends no reply to an undocumented getScreenObject and explains it', () => {
    const t = setup();
    const frameID = t.handshake();
    const before = t.frame.posts.length;
    t.fromPod({ hosted_request: 'getScreenObject', frameID });
    expect(t.frame.posts.length).toBe(before);
    expect(t.log.entries.value.at(-1)).toMatchObject({ direction: 'ignored', kind: 'getScreenObject' });
    expect(t.log.entries.value.at(-1)!.note).toMatch(/not a documented request/);
  });

  it('drops a message that is an object rather than a JSON string, as ConnectWise does', () => {
    const t = setup();
    t.session.handleMessage({ source: t.frame, origin: POD, data: { message: 'ready' } });
    expect(t.frame.posts).toHaveLength(0);
    expect(t.log.entries.value.at(-1)!.note).toMatch(/JSON strings only/);
  });

  it('drops the "request" key form that ConnectWise ignores', () => {
    const t = setup();
    const frameID = t.handshake();
    const before = t.frame.posts.length;
    t.fromPod({ request: 'getMemberAuthentication', frameID });
    expect(t.frame.posts.length).toBe(before);
    expect(t.log.entries.value.at(-1)!.direction).toBe('ignored');
  });
});

describe('host session: who it listens to and where it posts', () => {
  it('ignores a message from another window even when its origin is the pod origin', () => {
    const t = setup();
    const stranger = fakeFrame();
    t.session.handleMessage({ source: stranger, origin: POD, data: JSON.stringify({ message: 'ready' }) });
    expect(t.frame.posts).toHaveLength(0);
    expect(stranger.posts).toHaveLength(0);
    expect(t.log.entries.value.at(-1)).toMatchObject({ direction: 'ignored', origin: POD });
  });

  it('ignores a message from the pod frame when its origin is not the pod URL origin', () => {
    const t = setup();
    t.fromPod({ message: 'ready' }, 'https://evil.example');
    expect(t.frame.posts).toHaveLength(0);
    expect(t.log.entries.value.at(-1)!.note).toMatch(/is not the pod URL's origin/);
  });

  it('lets a hook claim messages from other sources before they are logged as ignored', () => {
    const claimed: unknown[] = [];
    const t = setup({ extra: { otherSource: (m) => (claimed.push(m), true) } });
    t.session.handleMessage({ source: {}, origin: 'http://localhost:4001', data: '{}' });
    expect(claimed).toHaveLength(1);
    expect(t.log.entries.value).toHaveLength(0);
  });

  it('posts every message to the pod origin, never "*"', () => {
    const t = setup();
    const frameID = t.handshake();
    t.fromPod({ hosted_request: 'getMemberAuthentication', frameID });
    t.session.sendOnLoad();
    void t.session.sendBeforeSave();
    expect(t.frame.posts.length).toBeGreaterThanOrEqual(5);
    expect(new Set(t.frame.posts.map((p) => p.targetOrigin))).toEqual(new Set([POD]));
  });

  it('sends nothing when the pod URL is invalid', async () => {
    const t = setup();
    t.state.podOrigin = null;
    expect(t.session.sendOnLoad()).toBeNull();
    await expect(t.session.sendBeforeSave()).resolves.toMatchObject({ status: 'not_sent' });
    expect(t.frame.posts).toHaveLength(0);
  });

  it('logs outgoing and incoming messages with direction, origin and the raw JSON', () => {
    const t = setup();
    t.handshake();
    const [ready, frameId, onLoad] = t.log.entries.value;
    expect(ready).toMatchObject({ direction: 'in', origin: POD, kind: 'ready', raw: '{"message":"ready"}' });
    expect(frameId).toMatchObject({ direction: 'out', origin: POD, kind: 'MessageFrameID' });
    expect(onLoad).toMatchObject({ direction: 'out', kind: 'onLoad' });
    expect(onLoad!.json).toEqual(JSON.parse(t.frame.posts[1]!.message));
  });
});
