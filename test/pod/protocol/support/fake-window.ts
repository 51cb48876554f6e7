import type { HostWindow, MessageEventLike } from '../../../../pod/protocol/types.ts';

export const cwOrigin = 'https://na.myconnectwise.net';

export type Posted = { data: unknown; targetOrigin: string };

/**
 * A stand-in for the pod's `window`: `parent.postMessage` records every call, `fromHost`
 * dispatches MessageEvent-like objects with a chosen origin and source, and timers run only
 * when the test advances the fake clock (no wall-clock waits).
 */
export function createFakeWindow() {
  const posted: Posted[] = [];
  const parent = {
    postMessage(data: string, targetOrigin: string) {
      posted.push({ data, targetOrigin });
    },
  };
  const listeners = new Set<(event: MessageEventLike) => void>();
  let now = 0;
  let nextTimer = 1;
  const timers = new Map<number, { at: number; run: () => void }>();

  const win: HostWindow = {
    parent,
    addEventListener(_type, listener) {
      listeners.add(listener);
    },
    removeEventListener(_type, listener) {
      listeners.delete(listener);
    },
    setTimeout(run, ms) {
      const id = nextTimer++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
  };

  const dispatch = (event: MessageEventLike): void => {
    for (const listener of [...listeners]) listener(event);
  };

  return {
    win,
    parent,
    posted,
    /** Every message the pod posted, JSON-parsed (the pod must only send strings). */
    sent(): unknown[] {
      return posted.map((p) => {
        if (typeof p.data !== 'string') throw new Error(`posted a non-string: ${typeof p.data}`);
        return JSON.parse(p.data) as unknown;
      });
    },
    /** Messages posted since the given count. */
    sentSince(count: number): unknown[] {
      return this.sent().slice(count);
    },
    dispatch,
    /** Posts as the host would: an object is stringified; origin and source default to the real parent. */
    fromHost(message: unknown, from: { origin?: string; source?: unknown } = {}): void {
      dispatch({
        data: typeof message === 'string' ? message : JSON.stringify(message),
        origin: from.origin ?? cwOrigin,
        source: 'source' in from ? from.source : parent,
      });
    },
    listenerCount: () => listeners.size,
    /** Moves the fake clock, running due timers in time order. */
    advance(ms: number): void {
      const until = now + ms;
      for (;;) {
        let due: [number, { at: number; run: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= until && (due === undefined || entry[1].at < due[1].at)) due = entry;
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].run();
      }
      now = until;
    },
  };
}

export type FakeWindow = ReturnType<typeof createFakeWindow>;
