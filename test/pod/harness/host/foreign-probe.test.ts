import { describe, expect, it } from 'vitest';
import {
  forgedEventId,
  foreignProbeUrl,
  judgeForeignProbe,
  pickForeignOrigin,
  readForeignProbeParams,
  runForeignSender,
  type ForeignWindow,
} from '../../../../pod/harness/host/foreign-probe.ts';
import type { LogEntry } from '../../../../pod/harness/host/message-log.ts';
import { fakeFrame, manualTimers } from '../harness-fixtures.ts';

const params = { probeId: 'p1', podOrigin: 'http://127.0.0.1:4000', harnessOrigin: 'http://127.0.0.1:4001', forgedTicketId: 999999 };

function foreignWindow() {
  const parentPosts = fakeFrame();
  const pod = fakeFrame();
  const timers = manualTimers();
  const listeners: ((e: { source: unknown; data: unknown }) => void)[] = [];
  const self = {};
  const parent = Object.assign([self, pod] as unknown[], { postMessage: parentPosts.postMessage });
  const win: ForeignWindow = {
    parent: parent as unknown as ForeignWindow['parent'],
    self,
    addEventListener: (_type, listener) => listeners.push(listener),
    setTimeout: timers.setTimeout,
  };
  return { win, pod, parentPosts, timers, deliver: (e: { source: unknown; data: unknown }) => listeners.forEach((l) => l(e)) };
}

describe('foreign-origin probe', () => {
  it('round-trips its parameters through the foreign frame URL', () => {
    const url = foreignProbeUrl('http://localhost:4001', '/', params);
    expect(new URL(url).origin).toBe('http://localhost:4001');
    expect(readForeignProbeParams(new URL(url).search)).toEqual(params);
    expect(readForeignProbeParams('?role=foreign&probe=x')).toBeNull();
  });

  it('posts forged frame id, onLoad and credentials to sibling frames with the pod origin, never "*"', () => {
    const f = foreignWindow();
    runForeignSender(f.win, params);
    const sent = f.pod.sent();
    expect(sent).toEqual([
      { MessageFrameID: 'forged-frame-p1' },
      { event: 'onLoad', _id: forgedEventId('p1'), data: { screenObject: { screen: 'ticket', id: 999999, hostedAs: 'pod' } } },
      expect.objectContaining({ response: 'getmemberauthentication', data: expect.objectContaining({ memberid: 'mallory' }) }),
    ]);
    expect(new Set(f.pod.posts.map((p) => p.targetOrigin))).toEqual(new Set([params.podOrigin]));
  });

  it('reports replies it got to the harness origin after listening', () => {
    const f = foreignWindow();
    runForeignSender(f.win, params);
    f.deliver({ source: f.pod, data: '{"event":"onLoad","result":"success"}' });
    expect(f.parentPosts.posts).toHaveLength(0);
    f.timers.runAll();
    expect(f.parentPosts.posts).toEqual([
      {
        targetOrigin: params.harnessOrigin,
        message: JSON.stringify({ harnessForeignProbe: 'p1', framesTried: 1, sent: 3, replies: ['{"event":"onLoad","result":"success"}'] }),
      },
    ]);
  });

  it('judges a silent pod as having ignored the foreign messages', () => {
    const verdict = judgeForeignProbe({ harnessForeignProbe: 'p1', framesTried: 1, sent: 3, replies: [] }, []);
    expect(verdict.ignored).toBe(true);
  });

  it('judges a reply to the foreign page, or an ack of the forged onLoad to the harness, as a reaction', () => {
    expect(judgeForeignProbe({ harnessForeignProbe: 'p1', framesTried: 1, sent: 3, replies: ['x'] }, []).ignored).toBe(false);
    const ack: LogEntry = {
      seq: 9, atMs: 0, direction: 'ignored', origin: params.podOrigin, kind: 'onLoad success',
      raw: JSON.stringify({ event: 'onLoad', _id: forgedEventId('p1'), result: 'success', frameID: 'forged-frame-p1' }),
    };
    const verdict = judgeForeignProbe({ harnessForeignProbe: 'p1', framesTried: 1, sent: 3, replies: [] }, [ack]);
    expect(verdict).toMatchObject({ ignored: false, summary: expect.stringMatching(/REACTED.*ack of the forged onLoad/) });
  });

  it('does not call a probe that sent nothing a pass', () => {
    expect(judgeForeignProbe({ harnessForeignProbe: 'p1', framesTried: 0, sent: 0, replies: [] }, []).ignored).toBe(false);
  });

  it('picks the simulator origin this page is not on', () => {
    expect(pickForeignOrigin('http://127.0.0.1:4001', 'http://127.0.0.1:4001', 'http://localhost:4001')).toBe('http://localhost:4001');
    expect(pickForeignOrigin('http://localhost:4001', 'http://127.0.0.1:4001', 'http://localhost:4001')).toBe('http://127.0.0.1:4001');
    expect(pickForeignOrigin('http://127.0.0.1:4001', 'http://127.0.0.1:4001', null)).toBeNull();
  });
});
