import { describe, expect, it } from 'vitest';
import { createHarnessController, memberKey, type HarnessLocation } from '../../../../pod/harness/host/harness-controller.ts';
import { CLEAR_FAULTS_ID, type FetchLike } from '../../../../pod/harness/host/faults.ts';
import { sequentialIds } from '../../../../pod/harness/host/ids.ts';
import { fakeFrame, harnessConfig, manualTimers } from '../harness-fixtures.ts';

const SIM = 'http://127.0.0.1:4001';
const NILEAR = 'http://localhost:4001';
const POD = 'http://127.0.0.1:4000';

function setup(opts: { location?: Partial<HarnessLocation>; config?: Parameters<typeof harnessConfig>[0]; fetch?: FetchLike } = {}) {
  const navigations: string[] = [];
  const fetchCalls: { url: string; method: string }[] = [];
  const timers = manualTimers();
  const controller = createHarnessController({
    config: harnessConfig(opts.config),
    location: { origin: SIM, pathname: '/', search: '', ...opts.location },
    fetch:
      opts.fetch ??
      (async (url, init) => {
        fetchCalls.push({ url, method: init?.method ?? 'GET' });
        return { ok: true, status: 204, text: async () => '' };
      }),
    navigate: (url) => navigations.push(url),
    now: () => 0,
    newId: sequentialIds('c'),
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
  });
  const frame = fakeFrame();
  controller.attachFrame(frame);
  const fromPod = (message: unknown) =>
    controller.handleMessage({ source: frame, origin: POD, data: JSON.stringify(message) });
  const handshake = () => {
    fromPod({ message: 'ready' });
    return controller.session.frameId.value!;
  };
  return { controller, frame, fromPod, handshake, navigations, fetchCalls, timers };
}

describe('harness controller: initial state', () => {
  it('starts on the default company, its first member and first ticket, with tokens substituted', () => {
    const { controller } = setup();
    expect(controller.companyId.value).toBe('demo');
    expect(controller.memberId.value).toBe('jsmith');
    expect(controller.ticketId.value).toBe(1001);
    expect(controller.ticket.value?.summary).toBe('Printer offline');
    expect(controller.podUrl.value).toEqual({
      ok: true,
      url: `${POD}/hostedapis/connectwiseiframe/demo?id=1001&screen=ticket`,
      origin: POD,
    });
    expect(controller.mode.value).toBe('connectwise');
  });

  it('takes mode, member and ticket from the query string (after a Nilear switch)', () => {
    const { controller } = setup({ location: { origin: NILEAR, search: '?mode=nilear&member=bwilson&ticket=1002' } });
    expect(controller.mode.value).toBe('nilear');
    expect(controller.member.value?.identifier).toBe('bwilson');
    expect(controller.ticketId.value).toBe(1002);
    const url = controller.podUrl.value;
    expect(url.ok && new URL(url.url).searchParams.get('nilear')).toBe('true');
  });

  it('plays Nilear when opened on the Nilear origin without a query', () => {
    expect(setup({ location: { origin: NILEAR } }).controller.mode.value).toBe('nilear');
  });
});

describe('harness controller: controls', () => {
  it('changes the ticket with a new onLoad and without reloading the pod', () => {
    const { controller, frame, handshake } = setup();
    handshake();
    const generation = controller.frameGeneration.value;
    const url = controller.podUrl.value;
    controller.selectTicket(1002);
    const last = frame.sent().at(-1)!;
    expect(last).toMatchObject({ event: 'onLoad', data: { screenObject: { screen: 'ticket', id: 1002 } } });
    expect(controller.frameGeneration.value).toBe(generation);
    expect(controller.podUrl.value).toEqual(url);
  });

  it('accepts a ticket id that is not a demo ticket', () => {
    const { controller, handshake, frame } = setup();
    handshake();
    controller.selectTicket(424242);
    expect(controller.ticket.value).toBeNull();
    expect(frame.sent().at(-1)).toMatchObject({ data: { screenObject: { id: 424242 } } });
  });

  it('does not send onLoad for a ticket change before the pod said ready', () => {
    const { controller, frame } = setup();
    controller.selectTicket(1002);
    expect(frame.posts).toHaveLength(0);
  });

  it('reloads the pod when the member changes, and answers with that member', () => {
    const { controller, frame, fromPod } = setup();
    const generation = controller.frameGeneration.value;
    controller.selectMember('jsmith~forged');
    expect(controller.frameGeneration.value).toBe(generation + 1);
    const next = fakeFrame();
    controller.attachFrame(next);
    controller.handleMessage({ source: next, origin: POD, data: '{"message":"ready"}' });
    const frameID = controller.session.frameId.value;
    controller.handleMessage({ source: next, origin: POD, data: JSON.stringify({ hosted_request: 'getMemberAuthentication', frameID }) });
    expect(next.sent().at(-1)).toMatchObject({ data: { memberid: 'jsmith', memberHash: 'forged' } });
    fromPod({ message: 'ready' });
    expect(frame.posts).toHaveLength(0);
  });

  it('loads the ticket current at reload time into the pod URL', () => {
    const { controller } = setup();
    controller.selectTicket(1002);
    expect(controller.podUrl.value.ok && controller.podUrl.value.url).toContain('id=1001');
    controller.reloadPod();
    expect(controller.podUrl.value.ok && controller.podUrl.value.url).toContain('id=1002');
  });

  it('tells apart a genuine and a forged member with the same identifier', () => {
    const { controller } = setup();
    expect(controller.members.value.map(memberKey)).toEqual(['jsmith', 'bwilson', 'jsmith~forged']);
    controller.selectMember('jsmith~forged');
    expect(controller.member.value).toMatchObject({ identifier: 'jsmith', valid: false });
    controller.selectMember('jsmith');
    expect(controller.member.value).toMatchObject({ identifier: 'jsmith', valid: true });
  });

  it('switches company: its members, tickets and pod URL', () => {
    const { controller } = setup();
    controller.selectCompany('other');
    expect(controller.memberId.value).toBe('otech');
    expect(controller.ticketId.value).toBe(2001);
    expect(controller.podUrl.value.ok && controller.podUrl.value.url).toBe(
      `${POD}/hostedapis/connectwiseiframe/other?id=2001&screen=ticket`,
    );
  });

  it('loads any pod URL, and reports one that is not a URL', () => {
    const { controller } = setup();
    controller.setPodUrlTemplate('https://thirdparty.example/pod/[cw_screen]/[cw_id]');
    expect(controller.podUrl.value).toEqual({ ok: true, url: 'https://thirdparty.example/pod/ticket/1001', origin: 'https://thirdparty.example' });
    expect(controller.podOrigin.value).toBe('https://thirdparty.example');
    controller.setPodUrlTemplate('ftp://nope.example/');
    expect(controller.podUrl.value.ok).toBe(false);
    expect(controller.podOrigin.value).toBeNull();
  });
});

describe('harness controller: host mode', () => {
  it('reloads the harness at the Nilear origin, keeping the screen in the query string', () => {
    const { controller, navigations } = setup();
    controller.selectMode('nilear');
    expect(navigations).toHaveLength(1);
    const url = new URL(navigations[0]!);
    expect(url.origin).toBe(NILEAR);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      mode: 'nilear',
      company: 'demo',
      member: 'jsmith',
      ticket: '1001',
      strictness: 'tolerant',
      memberData: 'complete',
    });
    expect(controller.mode.value).toBe('connectwise');
  });

  it('goes back to the ConnectWise origin from Nilear', () => {
    const { controller, navigations } = setup({ location: { origin: NILEAR, search: '?mode=nilear' } });
    controller.selectMode('connectwise');
    expect(new URL(navigations[0]!).origin).toBe(SIM);
  });

  it('switches in place, reloading the pod with nilear=true, when there is no separate Nilear origin', () => {
    const { controller, navigations } = setup({ config: { nilearOrigin: null } });
    const generation = controller.frameGeneration.value;
    controller.selectMode('nilear');
    expect(navigations).toEqual([]);
    expect(controller.mode.value).toBe('nilear');
    expect(controller.frameGeneration.value).toBe(generation + 1);
    expect(controller.podUrl.value.ok && controller.podUrl.value.url).toContain('nilear=true');
  });
});

describe('harness controller: pod requests', () => {
  it('follows the pod opening another ticket in the same tab, with a new onLoad', () => {
    const { controller, frame, fromPod, handshake } = setup();
    const frameID = handshake();
    fromPod({ hosted_request: 'openScreen', args: { newTab: false, screen: 'ticket', id: 1002 }, frameID });
    expect(controller.ticketId.value).toBe(1002);
    expect(frame.sent().at(-1)).toMatchObject({ event: 'onLoad', data: { screenObject: { id: 1002 } } });
  });

  it('does not switch for a new-tab or company openScreen, but says what ConnectWise would do', () => {
    const { controller, fromPod, handshake } = setup();
    const frameID = handshake();
    fromPod({ hosted_request: 'openScreen', args: { newTab: true, screen: 'ticket', id: 1002 }, frameID });
    fromPod({ hosted_request: 'openScreen', args: { newTab: false, screen: 'company', id: 5 }, frameID });
    expect(controller.ticketId.value).toBe(1001);
    expect(controller.notice.value).toMatch(/company #5/);
  });

  it('re-sends onLoad on refreshScreen', () => {
    const { frame, fromPod, handshake } = setup();
    const frameID = handshake();
    const before = frame.sent().filter((m) => m.event === 'onLoad').length;
    fromPod({ hosted_request: 'refreshScreen', frameID });
    expect(frame.sent().filter((m) => m.event === 'onLoad').length).toBe(before + 1);
  });
});

describe('harness controller: faults', () => {
  it('applies a preset through the simulator and shows it as active', async () => {
    const { controller, fetchCalls } = setup();
    await controller.applyFault('slow');
    expect(fetchCalls).toEqual([
      { url: '/__sim/faults', method: 'DELETE' },
      { url: '/__sim/faults', method: 'POST' },
    ]);
    expect(controller.fault.value).toEqual({ status: 'applied', presetId: 'slow' });
    await controller.applyFault(CLEAR_FAULTS_ID);
    expect(controller.fault.value).toEqual({ status: 'applied', presetId: CLEAR_FAULTS_ID });
  });

  it('shows a failure and refuses an unknown preset', async () => {
    const { controller } = setup({ fetch: async () => ({ ok: false, status: 404, text: async () => '' }) });
    await controller.applyFault('slow');
    expect(controller.fault.value).toMatchObject({ status: 'failed', error: expect.stringContaining('HTTP 404') });
    await controller.applyFault('nope');
    expect(controller.fault.value).toMatchObject({ status: 'failed', error: expect.stringContaining('unknown fault preset') });
  });
});

describe('harness controller: message from a foreign origin', () => {
  function startProbe() {
    const t = setup();
    const created: { url: string; removed: boolean; window: object }[] = [];
    t.controller.startForeignProbe((url) => {
      const entry = { url, removed: false, window: {} };
      created.push(entry);
      return { window: entry.window, remove: () => (entry.removed = true) };
    });
    return { ...t, created };
  }

  it('loads the harness page in the foreign role from the other simulator origin', () => {
    const { created, controller } = startProbe();
    expect(created).toHaveLength(1);
    const url = new URL(created[0]!.url);
    expect(url.origin).toBe(NILEAR);
    expect(url.searchParams.get('role')).toBe('foreign');
    expect(url.searchParams.get('pod')).toBe(POD);
    expect(url.searchParams.get('harness')).toBe(SIM);
    expect(controller.probe.value).toEqual({ status: 'running', origin: NILEAR });
  });

  it('accepts the report only from its own frame on the foreign origin, and shows the verdict', () => {
    const { created, controller } = startProbe();
    const probeId = new URL(created[0]!.url).searchParams.get('probe')!;
    const report = JSON.stringify({ harnessForeignProbe: probeId, framesTried: 1, sent: 3, replies: [] });
    controller.handleMessage({ source: {}, origin: NILEAR, data: report });
    expect(controller.probe.value.status).toBe('running');
    controller.handleMessage({ source: created[0]!.window, origin: 'https://evil.example', data: report });
    expect(controller.probe.value.status).toBe('running');
    controller.handleMessage({ source: created[0]!.window, origin: NILEAR, data: report });
    expect(controller.probe.value).toMatchObject({ status: 'done', verdict: { ignored: true } });
    expect(created[0]!.removed).toBe(true);
  });

  it('flags a pod that acked the forged onLoad to the harness', () => {
    const { created, controller, fromPod, handshake } = startProbe();
    const frameID = handshake();
    const probeId = new URL(created[0]!.url).searchParams.get('probe')!;
    fromPod({ event: 'onLoad', _id: `forged-onload-${probeId}`, result: 'success', frameID });
    const report = JSON.stringify({ harnessForeignProbe: probeId, framesTried: 1, sent: 3, replies: [] });
    controller.handleMessage({ source: created[0]!.window, origin: NILEAR, data: report });
    expect(controller.probe.value).toMatchObject({ status: 'done', verdict: { ignored: false } });
  });

  it('gives up when the foreign page never reports', () => {
    const { created, controller, timers } = startProbe();
    timers.runAll();
    expect(controller.probe.value).toMatchObject({ status: 'failed', error: expect.stringContaining('no report') });
    expect(created[0]!.removed).toBe(true);
  });

  it('says so when the simulator has no second origin', () => {
    const t = setup({ config: { nilearOrigin: null } });
    t.controller.startForeignProbe(() => {
      throw new Error('must not create a frame');
    });
    expect(t.controller.probe.value).toMatchObject({ status: 'failed', error: expect.stringContaining('no second origin') });
  });
});
