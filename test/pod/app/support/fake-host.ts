import { signal } from '@preact/signals';
import type { MemberAuthentication } from '../../../../shared/member-authentication.ts';
import type { PodHost } from '../../../../pod/app/pod-host.ts';
import type { BeforeSaveAnswer, HandshakeStatus, ScreenObject } from '../../../../pod/protocol/types.ts';

export const memberAuth: MemberAuthentication = {
  companyid: 'acme',
  memberid: 'jdoe',
  memberHash: 'hash-that-must-not-leak',
  memberContext: 'context',
  codeBase: 'v4_6_release/',
};

/**
 * Plays ConnectWise's side of the HostedApiClient contract. `answer: 'auto'` answers
 * member authentication at once; 'never' leaves it pending (a host that does not answer).
 */
export function createFakeHost(options: { answer?: 'auto' | 'never' } = {}) {
  const status = signal<HandshakeStatus>('idle');
  const frameId = signal<string | null>(null);
  const acceptedOrigin = signal<string | null>(null);
  const listeners = new Set<(screen: ScreenObject) => void>();
  let beforeSave: (() => BeforeSaveAnswer | Promise<BeforeSaveAnswer>) | null = null;
  const opened: Parameters<PodHost['openScreen']>[0][] = [];
  let answer = options.answer ?? 'auto';
  let authRequests = 0;
  let startCalls = 0;

  const host: PodHost = {
    status,
    frameId,
    acceptedOrigin,
    start() {
      startCalls += 1;
      if (status.value === 'idle') status.value = 'ready_sent';
      if (answer === 'auto') {
        frameId.value = 'frame-1';
        acceptedOrigin.value = 'https://na.myconnectwise.net';
        status.value = 'framed';
      }
    },
    requestMemberAuthentication() {
      authRequests += 1;
      if (answer === 'never') return new Promise<MemberAuthentication>(() => undefined);
      status.value = 'authenticated';
      return Promise.resolve({ ...memberAuth });
    },
    onScreen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setBeforeSaveHandler(handler) {
      beforeSave = handler;
    },
    openScreen(args) {
      opened.push(args);
    },
    stats: { accepted: 0, ignored: 0 },
    dispose() {
      listeners.clear();
    },
  };

  return {
    host,
    opened,
    get authRequests() {
      return authRequests;
    },
    get startCalls() {
      return startCalls;
    },
    setAnswer(mode: 'auto' | 'never') {
      answer = mode;
    },
    /** ConnectWise's onLoad. */
    load(screen: string, id: number) {
      for (const listener of listeners) listener({ screen, id, hostedAs: 'pod' });
    },
    beforeSave() {
      if (!beforeSave) throw new Error('no beforeSave handler set');
      return beforeSave();
    },
  };
}
