import { describe, expect, it } from 'vitest';
import type { HostMode } from '../../../../shared/pod-api.ts';
import { createHostSession } from '../../../../pod/harness/host/host-session.ts';
import { createHarnessController } from '../../../../pod/harness/host/harness-controller.ts';
import { createMessageLog } from '../../../../pod/harness/host/message-log.ts';
import { memberAuthenticationData } from '../../../../pod/harness/host/member-authentication.ts';
import { sequentialIds } from '../../../../pod/harness/host/ids.ts';
import { readLoosely, reasonsToShow, type HostStrictness } from '../../../../pod/harness/host/tolerance.ts';
import { fakeFrame, harnessConfig, manualTimers } from '../harness-fixtures.ts';

/**
 * Issue 14 item 6: the harness plays ConnectWise tolerantly (like ConnectWise's own client
 * library) by default, strictly on request, and logs what it forgave either way. Each
 * tolerant case has its strict counterpart as the control.
 */

const POD = 'http://127.0.0.1:4000';

function setup(strictness: HostStrictness | undefined, mode: HostMode = 'connectwise') {
  const frame = fakeFrame();
  const timers = manualTimers();
  const log = createMessageLog({ now: () => 0 });
  const openScreens: unknown[] = [];
  const session = createHostSession({
    frame: () => frame,
    podOrigin: () => POD,
    mode: () => mode,
    ...(strictness !== undefined ? { strictness: () => strictness } : {}),
    memberAuthentication: () =>
      memberAuthenticationData({
        member: { identifier: 'jsmith', name: 'Jane', memberHash: 'hash-jsmith', memberContext: 'web' },
        companyId: 'demo',
        site: 'http://127.0.0.1:4001/',
        mode,
      }),
    screen: () => ({ screen: 'ticket', id: 1001, hostedAs: 'pod' }),
    log,
    now: () => 0,
    newId: sequentialIds('x'),
    beforeSaveTimeoutMs: 5000,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    onOpenScreen: (r) => openScreens.push(r),
  });
  const fromPod = (message: unknown) => session.handleMessage({ source: frame, origin: POD, data: JSON.stringify(message) });
  const handshake = () => {
    fromPod({ message: 'ready' });
    return session.frameId.value!;
  };
  const forgiven = () => log.entries.value.filter((e) => e.kind === 'forgave').map((e) => e.raw);
  return { frame, timers, log, session, fromPod, handshake, openScreens, forgiven };
}

describe('requests before the MessageFrameID', () => {
  it('tolerant (the default): answers getMemberAuthentication sent at once without frameID, and logs it', () => {
    const t = setup(undefined);
    t.fromPod({ hosted_request: 'getMemberAuthentication' });
    expect(t.frame.sent()).toEqual([expect.objectContaining({ response: 'getmemberauthentication' })]);
    expect(t.session.authAnswered.value).toBe(1);
    expect(t.forgiven()).toEqual([expect.stringMatching(/^tolerant: accepted getMemberAuthentication without frameID \(before any MessageFrameID was issued\)/)]);
  });

  it('strict: drops it, and logs that tolerant mode would have answered', () => {
    const t = setup('strict');
    t.fromPod({ hosted_request: 'getMemberAuthentication' });
    expect(t.frame.posts).toHaveLength(0);
    expect(t.forgiven()).toEqual([expect.stringMatching(/^strict: dropped getMemberAuthentication without frameID/)]);
    expect(t.log.entries.value.at(-1)).toMatchObject({ direction: 'ignored', note: expect.stringMatching(/strict mode/) });
  });

  it('tolerant: also answers a request without frameID after the id was issued (it may not have reached the pod yet)', () => {
    const t = setup('tolerant');
    t.handshake();
    const before = t.frame.posts.length;
    t.fromPod({ hosted_request: 'getMemberAuthentication' });
    expect(t.frame.posts.length).toBe(before + 1);
    expect(t.forgiven()).toEqual([expect.stringContaining('before the MessageFrameID reached the pod')]);
  });

  it('strict: drops a request without frameID after the id was issued', () => {
    const t = setup('strict');
    t.handshake();
    const before = t.frame.posts.length;
    t.fromPod({ hosted_request: 'getMemberAuthentication' });
    expect(t.frame.posts.length).toBe(before);
    expect(t.log.entries.value.at(-1)!.note).toMatch(/missing frameID/);
  });

  it('either mode: a wrong frameID is dropped', () => {
    for (const strictness of ['tolerant', 'strict'] as const) {
      const t = setup(strictness);
      t.handshake();
      const before = t.frame.posts.length;
      t.fromPod({ hosted_request: 'getMemberAuthentication', frameID: 'someone-else' });
      expect(t.frame.posts.length).toBe(before);
      // Positive control: the right frame id is answered.
      t.fromPod({ hosted_request: 'getMemberAuthentication', frameID: t.session.frameId.value });
      expect(t.frame.posts.length).toBe(before + 1);
    }
  });
});

describe('openScreen with an empty id', () => {
  it('tolerant: accepted, recorded with a null id, and logged', () => {
    const t = setup('tolerant');
    const frameID = t.handshake();
    t.fromPod({ hosted_request: 'openScreen', args: { newTab: false, screen: 'ticket', id: '' }, frameID });
    expect(t.openScreens).toEqual([{ kind: 'openScreen', atMs: 0, screen: 'ticket', id: null, newTab: false }]);
    expect(t.forgiven()).toEqual([expect.stringContaining('openScreen with an empty id')]);
  });

  it('strict: dropped, and logged', () => {
    const t = setup('strict');
    const frameID = t.handshake();
    t.fromPod({ hosted_request: 'openScreen', args: { newTab: false, screen: 'ticket', id: '' }, frameID });
    expect(t.openScreens).toEqual([]);
    expect(t.forgiven()).toEqual([expect.stringMatching(/^strict: dropped openScreen with an empty id/)]);
  });
});

describe('setDirty', () => {
  it('tolerant: answered (shape unconfirmed) and logged', () => {
    const t = setup('tolerant');
    const frameID = t.handshake();
    t.fromPod({ hosted_request: 'setDirty', args: { dirty: true }, frameID });
    expect(t.frame.sent().at(-1)).toMatchObject({ response: 'setdirty', data: { dirty: true } });
    expect(t.session.dirty.value).toBe(true);
    expect(t.forgiven()).toEqual([expect.stringContaining('answered setDirty')]);
  });

  it('strict: recorded, not answered', () => {
    const t = setup('strict');
    const frameID = t.handshake();
    const before = t.frame.posts.length;
    t.fromPod({ hosted_request: 'setDirty', args: { dirty: true }, frameID });
    expect(t.frame.posts.length).toBe(before);
    expect(t.session.dirty.value).toBe(true);
  });
});

describe('beforeSave refusals of any shape', () => {
  const shapes: [string, unknown, string[]][] = [
    ['a string instead of a list', 'Fill in the resolution', ['Fill in the resolution']],
    ['no errors at all', undefined, []],
    ['an empty list', [], []],
    ['objects', [{ field: 'resolution', message: 'required' }], ['{"field":"resolution","message":"required"}']],
    ['a reason over 500 characters', ['r'.repeat(600)], ['r'.repeat(600)]],
    ['eleven reasons', Array.from({ length: 11 }, (_, i) => `reason ${i}`), Array.from({ length: 11 }, (_, i) => `reason ${i}`)],
  ];

  it.each(shapes)('tolerant: accepts %s and shows it', async (_what, errors, shown) => {
    const t = setup('tolerant');
    const frameID = t.handshake();
    const outcome = t.session.sendBeforeSave();
    const _id = t.frame.sent().at(-1)!._id as string;
    t.fromPod({ event: 'beforeSave', _id, result: 'failure', ...(errors === undefined ? {} : { errors }), frameID });
    await expect(outcome).resolves.toMatchObject({ status: 'failure', _id, errors: shown, forgiven: expect.any(String) });
    expect(t.forgiven()).toHaveLength(1);
  });

  it.each(shapes)('strict: drops %s, so ConnectWise never hears an answer', async (_what, errors) => {
    const t = setup('strict');
    const frameID = t.handshake();
    const outcome = t.session.sendBeforeSave();
    const _id = t.frame.sent().at(-1)!._id as string;
    t.fromPod({ event: 'beforeSave', _id, result: 'failure', ...(errors === undefined ? {} : { errors }), frameID });
    expect(t.forgiven()).toEqual([expect.stringMatching(/^strict: dropped/)]);
    t.timers.runAll();
    await expect(outcome).resolves.toMatchObject({ status: 'no_answer' });
  });

  it('either mode: a well-formed refusal needs no forgiving', async () => {
    for (const strictness of ['tolerant', 'strict'] as const) {
      const t = setup(strictness);
      const frameID = t.handshake();
      const outcome = t.session.sendBeforeSave();
      const _id = t.frame.sent().at(-1)!._id as string;
      t.fromPod({ event: 'beforeSave', _id, result: 'failure', errors: ['Fill in the resolution'], frameID });
      await expect(outcome).resolves.toEqual({ status: 'failure', _id, errors: ['Fill in the resolution'] });
      expect(t.forgiven()).toEqual([]);
    }
  });
});

describe('readLoosely', () => {
  it('is null for what neither mode accepts', () => {
    expect(readLoosely('not json')).toBeNull();
    expect(readLoosely(JSON.stringify({ hosted_request: 'openScreen', args: { screen: 'ticket', id: 'abc' } }))).toBeNull();
    expect(readLoosely(JSON.stringify({ request: 'getMemberAuthentication' }))).toBeNull();
    expect(readLoosely({ hosted_request: 'openScreen' })).toBeNull();
  });

  it('cuts only what it shows', () => {
    expect(reasonsToShow(['x'.repeat(3000)])[0]).toMatch(/… \(3000 characters\)$/);
    expect(reasonsToShow(null)).toEqual([]);
  });
});

describe('harness controller', () => {
  function controllerWith(search = '') {
    const timers = manualTimers();
    const controller = createHarnessController({
      config: harnessConfig(),
      location: { origin: 'http://127.0.0.1:4001', pathname: '/', search },
      fetch: async () => ({ ok: true, status: 204, text: async () => '' }),
      navigate: () => undefined,
      now: () => 0,
      newId: sequentialIds('c'),
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
    });
    const frame = fakeFrame();
    controller.attachFrame(frame);
    return { controller, frame };
  }

  it('starts tolerant, takes ?strictness=strict, and switches with a logged note', () => {
    expect(controllerWith().controller.strictness.value).toBe('tolerant');
    const { controller } = controllerWith('?strictness=strict');
    expect(controller.strictness.value).toBe('strict');
    controller.selectStrictness('tolerant');
    expect(controller.strictness.value).toBe('tolerant');
    expect(controller.log.entries.value.at(-1)).toMatchObject({ kind: 'mode', raw: expect.stringMatching(/^tolerant:/) });
  });

  it('says what ConnectWise would do with an empty openScreen id and stays on the ticket', () => {
    const { controller, frame } = controllerWith();
    const pod = new URL(controller.podUrl.value.ok ? controller.podUrl.value.url : 'http://x').origin;
    const fromPod = (m: unknown) => controller.handleMessage({ source: frame, origin: pod, data: JSON.stringify(m) });
    fromPod({ message: 'ready' });
    const before = controller.ticketId.value;
    fromPod({ hosted_request: 'openScreen', args: { newTab: false, screen: 'ticket', id: '' }, frameID: controller.session.frameId.value });
    expect(controller.ticketId.value).toBe(before);
    expect(controller.notice.value).toMatch(/empty id.*unconfirmed.*stays on ticket/);
  });

  it('sends null optional fields for a member without SSO or e-mail when asked', () => {
    const { controller, frame } = controllerWith('?memberData=nulls');
    const pod = new URL(controller.podUrl.value.ok ? controller.podUrl.value.url : 'http://x').origin;
    const fromPod = (m: unknown) => controller.handleMessage({ source: frame, origin: pod, data: JSON.stringify(m) });
    fromPod({ message: 'ready' });
    fromPod({ hosted_request: 'getMemberAuthentication', frameID: controller.session.frameId.value });
    const reply = frame.sent().find((m) => m.response === 'getmemberauthentication')!;
    expect(reply.data).toMatchObject({ memberEmail: null, ssoAccessToken: null, ssoIdToken: null, memberid: expect.any(String) });
  });
});
