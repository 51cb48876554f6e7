import { signal, type ReadonlySignal } from '@preact/signals';
import type { HostMode } from '../../../shared/pod-api.ts';
import type { MemberAuthenticationInput } from '../../../shared/member-authentication.ts';
import { randomIds, type IdSource } from './ids.ts';
import { describeData, type MessageLog } from './message-log.ts';
import {
  HostResponseMessage,
  buildFrameId,
  buildHostEvent,
  buildMemberAuthenticationResponse,
  parsePodMessage,
  type PodMessage,
} from '../../../shared/hosted-api.ts';
import { DEFAULT_STRICTNESS, readLoosely, type HostStrictness, type LooseMessage } from './tolerance.ts';

/**
 * ConnectWise's side of the Hosted API protocol (docs/connectwise.md §1.2–1.6), with no DOM: the
 * view hands it the iframe's window and every `message` event, and it answers exactly as
 * ConnectWise would. Nilear mode differs in three ways only: requests without `frameID`
 * are accepted, and the authentication response has neither `_id` nor `codeBase`.
 * How much it forgives is the strictness (tolerance.ts): tolerant like ConnectWise's own
 * client library, or strict; every forgiven message is logged as a `forgave` note.
 */

/** The part of the iframe's `contentWindow` the host uses. */
export type FrameWindow = { postMessage(message: string, targetOrigin: string): void };

/** The parts of a `MessageEvent` the host reads. */
export type InboundMessage = { source: unknown; origin: string; data: unknown };

export type ScreenObject = { screen: string; id: number; hostedAs: 'pod' | 'tab' };

export type HostRequest =
  /** `id` is null when the pod sent an empty one (tolerant mode only). */
  | { kind: 'openScreen'; atMs: number; screen: string; id: number | null; newTab: boolean }
  | { kind: 'refreshScreen'; atMs: number }
  | { kind: 'setDirty'; atMs: number; dirty: boolean };

export type BeforeSaveOutcome =
  | { status: 'pending'; _id: string }
  | { status: 'success'; _id: string }
  /** `forgiven`: how the refusal departed from the narrow reading (tolerant mode). */
  | { status: 'failure'; _id: string; errors: string[]; forgiven?: string }
  | { status: 'no_answer'; _id: string; afterMs: number }
  | { status: 'not_sent'; reason: string };

export type HostSessionOptions = {
  /** The pod iframe's window, or null before it exists. */
  frame: () => FrameWindow | null;
  /** The origin of the URL the iframe was given: the only targetOrigin and accepted origin. */
  podOrigin: () => string | null;
  mode: () => HostMode;
  /** How much it forgives (default tolerant). */
  strictness?: () => HostStrictness;
  /** The signed-in member's credentials, as ConnectWise would send them (with codeBase; nulls allowed). */
  memberAuthentication: () => MemberAuthenticationInput;
  /** The record the "screen" shows. */
  screen: () => ScreenObject;
  log: MessageLog;
  now: () => number;
  newId?: IdSource;
  /** ConnectWise cannot save until the pod answers; the harness stops waiting after this. */
  beforeSaveTimeoutMs?: number;
  /** Called when the pod asks to open a ticket or company (after it is logged). */
  onOpenScreen?: (request: Extract<HostRequest, { kind: 'openScreen' }>) => void;
  /** Called for `refreshScreen`: ConnectWise reloads the screen, which fires `onLoad` again. */
  onRefreshScreen?: () => void;
  /**
   * Offered every message whose source is not the pod frame before it is logged as
   * ignored; returns true when it consumed the message (the foreign-origin probe's report).
   */
  otherSource?: (message: InboundMessage) => boolean;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
};

export type HostSession = {
  /** The MessageFrameID given to the current iframe, once it has sent `ready`. */
  frameId: ReadonlySignal<string | null>;
  /** How many `getMemberAuthentication` requests were answered for the current iframe. */
  authAnswered: ReadonlySignal<number>;
  /** The pod's last `setDirty`, or null when it never said. */
  dirty: ReadonlySignal<boolean | null>;
  hostRequests: ReadonlySignal<readonly HostRequest[]>;
  beforeSave: ReadonlySignal<BeforeSaveOutcome | null>;
  handleMessage(message: InboundMessage): void;
  /** Sends `onLoad` for the current screen; returns its `_id` (null when nothing was sent). */
  sendOnLoad(): string | null;
  sendBeforeSave(): Promise<BeforeSaveOutcome>;
  /** The harness gave the iframe a new document: a new frame id and no pending events. */
  frameReplaced(): void;
  dispose(): void;
};

type PendingEvent = {
  event: string;
  sentAtMs: number;
  settle?: (outcome: BeforeSaveOutcome) => void;
  timer?: unknown;
};

export function createHostSession(options: HostSessionOptions): HostSession {
  const newId = options.newId ?? randomIds;
  const setTimer = options.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clearTimer = options.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  const beforeSaveTimeoutMs = options.beforeSaveTimeoutMs ?? 10_000;
  const { log } = options;
  const strictness = options.strictness ?? (() => DEFAULT_STRICTNESS);
  const tolerant = () => strictness() === 'tolerant';

  const frameId = signal<string | null>(null);
  const authAnswered = signal(0);
  const dirty = signal<boolean | null>(null);
  const hostRequests = signal<readonly HostRequest[]>([]);
  const beforeSave = signal<BeforeSaveOutcome | null>(null);
  const pending = new Map<string, PendingEvent>();

  function note(text: string, origin = ''): void {
    log.add({ direction: 'note', origin, kind: 'note', raw: text });
  }

  /** Every outgoing message: a JSON string, to the pod URL's exact origin, never "*". */
  function post(kind: string, raw: string): boolean {
    const target = options.podOrigin();
    const frame = options.frame();
    const message = JSON.parse(raw) as unknown;
    if (target === null || frame === null) {
      log.add({
        direction: 'note',
        origin: target ?? '',
        kind,
        raw,
        json: message,
        note: target === null ? 'not sent: the pod URL is not valid' : 'not sent: no pod frame',
      });
      return false;
    }
    frame.postMessage(raw, target);
    log.add({ direction: 'out', origin: target, kind, raw, json: message });
    return true;
  }

  function ignore(message: InboundMessage, kind: string, why: string): void {
    log.add({ direction: 'ignored', origin: message.origin, kind, ...describeData(message.data), note: why });
  }

  /** What tolerant mode let through, or what strict mode dropped that tolerant mode would not. */
  function forgave(text: string, origin: string): void {
    const raw = tolerant() ? `tolerant: accepted ${text}` : `strict: dropped ${text} (tolerant mode, like ConnectWise's client, would accept it)`;
    log.add({ direction: 'note', origin, kind: 'forgave', raw });
  }

  /**
   * ConnectWise mode: after `ready`, every message must carry the frame id it was given.
   * Nilear mode: a missing `frameID` is fine (Nilear wants requests without it); a wrong one is not.
   */
  function frameIdProblem(sent: string | undefined, kind: string, origin: string): string | null {
    const current = frameId.value;
    if (sent === undefined) {
      if (options.mode() === 'nilear') return null;
      // ConnectWise's client sends a request at once, without frameID, whenever the
      // MessageFrameID has not reached it yet (docs/connectwise.md §8): from the host's side that
      // can be after the id was issued, so only a wrong frameID proves a stranger.
      const when = current === null ? 'before any MessageFrameID was issued' : 'before the MessageFrameID reached the pod, presumably';
      forgave(`${kind} without frameID (${when})`, origin);
      if (tolerant()) return null;
      return current === null
        ? 'no MessageFrameID has been issued yet (the pod must send "ready" first; strict mode)'
        : 'missing frameID (strict mode requires the MessageFrameID on every message)';
    }
    if (sent !== current) return `frameID "${sent}" is not this frame's MessageFrameID (${current ?? 'none issued'})`;
    return null;
  }

  function answerReady(): void {
    // One id per iframe element, as ConnectWise tells pods apart by it; a pod that reloads
    // itself inside the same iframe gets the same id back.
    if (frameId.value === null) frameId.value = newId();
    post('MessageFrameID', buildFrameId(frameId.value));
    sendOnLoad();
  }

  function answerAuthentication(): void {
    const data = { ...options.memberAuthentication() };
    if (options.mode() === 'nilear') {
      delete data.codeBase;
      post('getmemberauthentication', buildMemberAuthenticationResponse({ data }));
    } else {
      post('getmemberauthentication', buildMemberAuthenticationResponse({ _id: newId(), data }));
    }
    authAnswered.value += 1;
  }

  function record(request: HostRequest): void {
    hostRequests.value = [...hostRequests.value, request];
  }

  type Ack =
    | Extract<PodMessage, { result: 'success' | 'failure' }>
    | { event: string; _id?: string | undefined; result: 'failure'; errors: string[]; forgiven?: string };

  function handleAck(message: Ack, origin: string): void {
    if (message._id === undefined) {
      note(`${message.event} ack without _id: ConnectWise cannot tell which event it answers`, origin);
      return;
    }
    const entry = pending.get(message._id);
    if (entry === undefined) {
      note(`ack for an unknown or already answered _id "${message._id}" (${message.event})`, origin);
      return;
    }
    if (entry.event !== message.event) {
      note(`ack names event "${message.event}" but _id "${message._id}" was a ${entry.event}`, origin);
    }
    pending.delete(message._id);
    if (entry.settle !== undefined) {
      clearTimer(entry.timer);
      entry.settle(
        message.result === 'success'
          ? { status: 'success', _id: message._id }
          : {
              status: 'failure',
              _id: message._id,
              errors: message.errors,
              ...('forgiven' in message && message.forgiven !== undefined ? { forgiven: message.forgiven } : {}),
            },
      );
    }
  }

  function dispatch(message: PodMessage, origin: string): void {
    const atMs = Math.round(options.now());
    if ('message' in message) {
      answerReady();
      return;
    }
    if ('result' in message) {
      handleAck(message, origin);
      return;
    }
    switch (message.hosted_request) {
      case 'getMemberAuthentication':
        answerAuthentication();
        return;
      case 'setDirty':
        dirty.value = message.args.dirty;
        record({ kind: 'setDirty', atMs, dirty: message.args.dirty });
        if (tolerant()) answerSetDirty(message.args.dirty, origin);
        return;
      case 'openScreen': {
        const { screen, id, newTab } = message.args;
        const request = { kind: 'openScreen' as const, atMs, screen, id, newTab };
        record(request);
        options.onOpenScreen?.(request);
        return;
      }
      case 'refreshScreen':
        record({ kind: 'refreshScreen', atMs });
        options.onRefreshScreen?.();
        return;
    }
  }

  /**
   * ConnectWise's client takes a callback for setDirty, so a reply may exist; its shape is
   * unconfirmed. Tolerant mode sends one, so a pod learns early whether an unexpected
   * response upsets it; strict mode sends none.
   */
  function answerSetDirty(value: boolean, origin: string): void {
    const reply = { response: 'setdirty', _id: newId(), data: { dirty: value } };
    HostResponseMessage.parse(reply);
    if (post('setdirty', JSON.stringify(reply))) {
      log.add({ direction: 'note', origin, kind: 'forgave', raw: 'tolerant: answered setDirty (whether and how ConnectWise answers it is unconfirmed)' });
    }
  }

  /** A message the exact schemas refused but ConnectWise's client would pass on. */
  function handleLoose(message: InboundMessage, loose: LooseMessage, why: string): void {
    const kind = loose.kind === 'openScreen' ? 'openScreen' : `${loose.event} failure`;
    forgave(loose.forgiven, message.origin);
    if (!tolerant()) {
      ignore(message, kind, `${why}; strict mode drops it`);
      return;
    }
    const problem = frameIdProblem(loose.frameID, kind, message.origin);
    if (problem !== null) {
      ignore(message, kind, problem);
      return;
    }
    log.add({ direction: 'in', origin: message.origin, kind, ...describeData(message.data), note: `accepted in tolerant mode: ${loose.forgiven}` });
    if (loose.kind === 'refusal') {
      handleAck({ event: loose.event, _id: loose._id, result: 'failure', errors: loose.errors, forgiven: loose.forgiven }, message.origin);
      return;
    }
    const request = { kind: 'openScreen' as const, atMs: Math.round(options.now()), screen: loose.screen, id: loose.id, newTab: loose.newTab };
    record(request);
    options.onOpenScreen?.(request);
  }

  function handleMessage(message: InboundMessage): void {
    const frame = options.frame();
    if (frame === null || message.source !== frame) {
      if (options.otherSource?.(message) === true) return;
      ignore(message, 'foreign', 'not from the pod frame (event.source is another window)');
      return;
    }
    const podOrigin = options.podOrigin();
    if (message.origin !== podOrigin) {
      ignore(message, 'foreign', `origin ${message.origin} is not the pod URL's origin ${podOrigin ?? '(none)'}`);
      return;
    }
    const parsed = parsePodMessage(message.data);
    if (!parsed.ok) {
      const why = whyDropped(parsed.code, parsed.reason, message.data);
      const loose = readLoosely(message.data);
      if (loose !== null) {
        handleLoose(message, loose, why);
        return;
      }
      ignore(message, requestNameOf(message.data) ?? 'invalid', why);
      return;
    }
    const kind = kindOf(parsed.message);
    if (!('message' in parsed.message)) {
      const problem = frameIdProblem(parsed.message.frameID, kind, message.origin);
      if (problem !== null) {
        ignore(message, kind, problem);
        return;
      }
    }
    log.add({ direction: 'in', origin: message.origin, kind, ...describeData(message.data) });
    dispatch(parsed.message, message.origin);
  }

  function sendOnLoad(): string | null {
    const _id = newId();
    const screenObject = options.screen();
    if (!post('onLoad', buildHostEvent({ event: 'onLoad', _id, screenObject }))) return null;
    pending.set(_id, { event: 'onLoad', sentAtMs: options.now() });
    return _id;
  }

  function sendBeforeSave(): Promise<BeforeSaveOutcome> {
    const _id = newId();
    const screenObject = options.screen();
    if (!post('beforeSave', buildHostEvent({ event: 'beforeSave', _id, screenObject }))) {
      const outcome: BeforeSaveOutcome = { status: 'not_sent', reason: 'no pod frame or no valid pod URL' };
      beforeSave.value = outcome;
      return Promise.resolve(outcome);
    }
    beforeSave.value = { status: 'pending', _id };
    return new Promise((resolve) => {
      const settle = (outcome: BeforeSaveOutcome) => {
        // A later beforeSave replaces this one in the view; the promise still settles.
        if (beforeSave.value?.status === 'pending' && beforeSave.value._id === _id) beforeSave.value = outcome;
        resolve(outcome);
      };
      const entry: PendingEvent = { event: 'beforeSave', sentAtMs: options.now(), settle };
      entry.timer = setTimer(() => {
        pending.delete(_id);
        note(`the pod did not answer beforeSave ${_id} within ${beforeSaveTimeoutMs} ms: ConnectWise could not save`);
        settle({ status: 'no_answer', _id, afterMs: beforeSaveTimeoutMs });
      }, beforeSaveTimeoutMs);
      pending.set(_id, entry);
    });
  }

  function clearPending(): void {
    for (const [_id, entry] of pending) {
      if (entry.settle !== undefined) {
        clearTimer(entry.timer);
        entry.settle({ status: 'no_answer', _id, afterMs: Math.round(options.now() - entry.sentAtMs) });
      }
    }
    pending.clear();
  }

  return {
    frameId,
    authAnswered,
    dirty,
    hostRequests,
    beforeSave,
    handleMessage,
    sendOnLoad,
    sendBeforeSave,
    frameReplaced() {
      clearPending();
      frameId.value = null;
      authAnswered.value = 0;
      dirty.value = null;
    },
    dispose() {
      clearPending();
    },
  };
}

function kindOf(message: PodMessage): string {
  if ('message' in message) return 'ready';
  if ('result' in message) return `${message.event} ${message.result}`;
  return message.hosted_request;
}

/** The `hosted_request` name of a message that failed to parse, for the log's label. */
function requestNameOf(data: unknown): string | null {
  const { json } = describeData(data);
  if (json === null || typeof json !== 'object' || !('hosted_request' in json)) return null;
  const name = (json as { hosted_request: unknown }).hosted_request;
  return typeof name === 'string' ? name.slice(0, 64) : null;
}

function whyDropped(code: string, reason: string, data: unknown): string {
  const name = requestNameOf(data);
  if (name === 'getScreenObject') {
    return 'getScreenObject is not a documented request (docs/connectwise.md §1.2): ConnectWise is not known to answer it';
  }
  if (code === 'not_a_string') return `${reason}: the Hosted API sends JSON strings only, so ConnectWise drops it`;
  return `${reason}; ConnectWise drops it silently`;
}
