import { signal } from '@preact/signals';
import {
  BeforeSaveAnswer,
  HostedRequest,
  buildEventAck,
  buildEventRefusal,
  buildHostedRequest,
  buildReady,
  parseHostMessage,
  type HostedRequestInput,
  type HostMessage,
  type ScreenObject,
} from '../../shared/hosted-api.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import { createOriginMatcher } from '../../shared/origins.ts';
import { HostedApiClosedError } from './errors/hosted-api-closed-error.ts';
import { HostedApiTimeoutError } from './errors/hosted-api-timeout-error.ts';
import {
  handshakeSteps,
  type HandshakeStatus,
  type HostedApiClient,
  type HostedApiClientOptions,
  type IgnoreReason,
  type MessageEventLike,
  type ProtocolLogEntry,
} from './types.ts';

export type * from './types.ts';
export { HostedApiClosedError, HostedApiTimeoutError };

const AUTH_REQUEST = 'getMemberAuthentication';
// Requests wait here for the frame id; more than this means the host is not answering.
const MAX_QUEUED_REQUESTS = 20;

type PendingAuth = {
  promise: Promise<MemberAuthentication>;
  resolve: (data: MemberAuthentication) => void;
  reject: (error: Error) => void;
};

type Failure = Extract<BeforeSaveAnswer, { result: 'failure' }>;
const refuse = (reason: string): Failure => ({ result: 'failure', errors: [reason] });

/**
 * The pod's side of ConnectWise's Hosted API (wire formats: shared/hosted-api.ts).
 *
 * Trust: a message counts only when it comes from `win.parent` and its origin is exactly one
 * of `expectedOrigins`; from then on only that origin is heard and written to. Nothing is
 * ever posted to "*". Everything else is dropped, counted and logged at debug level, and
 * nothing here throws at the host page.
 *
 * Order: the frame id, the auth response and onLoad may arrive in any order. Requests made
 * before the frame id wait for it (Nilear mode sends them at once without one). A later
 * MessageFrameID (same parent, same pinned origin) replaces the earlier one.
 */
export function createHostedApiClient(options: HostedApiClientOptions): HostedApiClient {
  const { win, mode } = options;
  const nilear = mode === 'nilear';
  const authTimeoutMs = options.authTimeoutMs ?? 10_000;
  const beforeSaveTimeoutMs = options.beforeSaveTimeoutMs ?? 5_000;
  const origins = createOriginMatcher(options.expectedOrigins);

  const status = signal<HandshakeStatus>('idle');
  const frameId = signal<string | null>(null);
  const acceptedOrigin = signal<string | null>(null);
  const screen = signal<ScreenObject | null>(null);
  const stats = { accepted: 0, ignored: 0 };
  const screenListeners = new Set<(s: ScreenObject) => void>();
  let queue: HostedRequest[] = [];
  let pendingAuth: PendingAuth | null = null;
  let beforeSaveHandler: (() => BeforeSaveAnswer | Promise<BeforeSaveAnswer>) | null = null;
  let started = false;
  let disposed = false;

  const log = (entry: ProtocolLogEntry): void => {
    try {
      options.log?.(entry);
    } catch {
      // A broken logger must not break the protocol.
    }
  };
  if (origins.invalid.length > 0) {
    log({ level: 'warn', message: 'some expected origins are not valid origins and are never matched', detail: origins.invalid.join(', ') });
  }

  const ignore = (reason: IgnoreReason, origin?: string, detail?: string): void => {
    stats.ignored++;
    log({ level: 'debug', message: 'ignored a message', reason, origin, detail });
  };

  const advance = (step: HandshakeStatus): void => {
    if (handshakeSteps.indexOf(step) > handshakeSteps.indexOf(status.value)) status.value = step;
  };

  // Before any message is accepted the parent's origin is unknown: address each expected
  // origin, and the browser delivers only the one that matches the parent.
  const post = (message: string): void => {
    if (disposed) return;
    const pinned = acceptedOrigin.value;
    for (const target of pinned === null ? origins.origins : [pinned]) {
      try {
        win.parent.postMessage(message, target);
      } catch (error) {
        log({ level: 'warn', message: 'postMessage failed', origin: target, detail: error instanceof Error ? error.name : 'unknown' });
      }
    }
  };

  const send = (input: HostedRequestInput): void => {
    // Checked now, not when a queued request is flushed, so one bad call cannot break others.
    const checked = HostedRequest.safeParse(input);
    if (!checked.success) {
      log({ level: 'warn', message: 'request not sent: invalid arguments', detail: input.hosted_request });
      return;
    }
    const request = checked.data;
    if (nilear) return post(buildHostedRequest(request));
    const id = frameId.value;
    if (id !== null) return post(buildHostedRequest({ ...request, frameID: id }));
    if (queue.length < MAX_QUEUED_REQUESTS) queue.push(request);
    else log({ level: 'warn', message: 'request dropped: still no frame id from the host', detail: request.hosted_request });
  };

  const requestMemberAuthentication = (): Promise<MemberAuthentication> => {
    if (disposed) return Promise.reject(new HostedApiClosedError(AUTH_REQUEST));
    if (pendingAuth !== null) return pendingAuth.promise;
    let resolve!: PendingAuth['resolve'];
    let reject!: PendingAuth['reject'];
    const promise = new Promise<MemberAuthentication>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: PendingAuth = { promise, resolve, reject };
    pendingAuth = pending;
    win.setTimeout(() => {
      if (pendingAuth !== pending) return;
      pendingAuth = null;
      // A request still waiting for the frame id would be answered to nobody.
      queue = queue.filter((r) => r.hosted_request !== AUTH_REQUEST);
      log({ level: 'warn', message: 'getMemberAuthentication timed out', detail: status.value });
      reject(new HostedApiTimeoutError(AUTH_REQUEST, status.value, authTimeoutMs));
    }, authTimeoutMs);
    send({ hosted_request: AUTH_REQUEST });
    return promise;
  };

  // Nilear expects the request during onLoad (TextWise): re-send an outstanding one, or start one.
  const requestAuthOnLoad = (): void => {
    if (pendingAuth !== null) send({ hosted_request: AUTH_REQUEST });
    else requestMemberAuthentication().catch(() => {});
  };

  const acknowledge = (event: string, _id: string | undefined, answer: BeforeSaveAnswer): void => {
    const frameID = frameId.value ?? undefined;
    post(
      answer.result === 'success'
        ? buildEventAck({ event, _id, frameID })
        : buildEventRefusal({ event, _id, errors: answer.errors, frameID }),
    );
  };

  const answerBeforeSave = (event: string, _id: string | undefined): void => {
    let answered = false;
    const answer = (value: unknown): void => {
      if (answered) return;
      answered = true;
      const parsed = BeforeSaveAnswer.safeParse(value);
      const final = parsed.success ? parsed.data : refuse('The ticket pod gave an invalid answer before saving.');
      if (final.result === 'failure') log({ level: 'info', message: 'refused beforeSave', detail: final.errors.join('; ') });
      acknowledge(event, _id, final);
    };
    const fail = (): void => answer(refuse('The ticket pod could not check this save.'));
    const handler = beforeSaveHandler;
    if (handler === null) return answer({ result: 'success' });
    let result: BeforeSaveAnswer | Promise<BeforeSaveAnswer>;
    try {
      result = handler();
    } catch {
      return fail();
    }
    if (typeof (result as { then?: unknown } | null)?.then !== 'function') return answer(result);
    win.setTimeout(() => answer(refuse('The ticket pod did not answer in time.')), beforeSaveTimeoutMs);
    Promise.resolve(result).then(answer, fail);
  };

  const onEvent = (message: Extract<HostMessage, { type: 'event' }>): void => {
    const name = message.event.toLowerCase();
    if (name === 'beforesave') return answerBeforeSave(message.event, message._id);
    acknowledge(message.event, message._id, { result: 'success' });
    if (name !== 'onload') return;
    if (message.screen === null) {
      log({ level: 'debug', message: 'onLoad without a usable screen object' });
    } else {
      const next = message.screen;
      screen.value = next;
      for (const listener of [...screenListeners]) {
        try {
          listener(next);
        } catch (error) {
          log({ level: 'warn', message: 'an onScreen listener threw', detail: error instanceof Error ? error.name : 'unknown' });
        }
      }
    }
    if (nilear) requestAuthOnLoad();
  };

  // Returns why a well-formed message is still not for us, or null once it has been handled.
  const dispatch = (message: HostMessage, origin: string): IgnoreReason | null => {
    switch (message.type) {
      case 'frame_id':
        break;
      case 'event':
        if (message._id === undefined && !nilear) return 'event_without_id';
        break;
      case 'member_authentication':
        if (message._id === undefined && !nilear) return 'response_without_id';
        if (pendingAuth === null) return 'unsolicited_response';
        break;
      case 'response':
        return 'unexpected_response';
    }
    stats.accepted++;
    if (acceptedOrigin.value === null) {
      acceptedOrigin.value = origin;
      log({ level: 'info', message: 'accepted the host', origin });
    }
    switch (message.type) {
      case 'frame_id': {
        // ConnectWise's own client keeps the latest id (docs/connectwise.md §8): a host that issues
        // a new one expects it on everything that follows.
        if (frameId.value !== null && frameId.value !== message.frameId) {
          log({ level: 'info', message: 'the host issued a new MessageFrameID; using it from now on' });
        }
        frameId.value = message.frameId;
        advance('framed');
        const waiting = queue;
        queue = [];
        for (const request of waiting) send(request);
        break;
      }
      case 'event':
        onEvent(message);
        break;
      case 'member_authentication': {
        const pending = pendingAuth;
        pendingAuth = null;
        advance('authenticated');
        pending?.resolve(message.data);
        break;
      }
    }
    return null;
  };

  const receive = (event: MessageEventLike): void => {
    if (disposed) return ignore('disposed');
    const source = event.source;
    const rawOrigin = event.origin;
    const shownOrigin = typeof rawOrigin === 'string' ? rawOrigin.slice(0, 300) : undefined;
    if (source === null || source === undefined || source !== win.parent) return ignore('source_not_parent', shownOrigin);
    const origin = origins.match(rawOrigin);
    if (origin === null) return ignore('origin_not_allowed', shownOrigin);
    if (acceptedOrigin.value !== null && origin !== acceptedOrigin.value) return ignore('origin_not_pinned', origin);
    const parsed = parseHostMessage(event.data);
    if (!parsed.ok) return ignore(parsed.code, origin, parsed.reason);
    const rejected = dispatch(parsed.message, origin);
    if (rejected !== null) ignore(rejected, origin);
  };

  const listener = (event: MessageEventLike): void => {
    try {
      receive(event);
    } catch (error) {
      ignore('internal_error', undefined, error instanceof Error ? error.name : 'unknown');
    }
  };
  win.addEventListener('message', listener);

  return {
    status,
    frameId,
    acceptedOrigin,
    screen,
    stats,
    start() {
      if (started || disposed) return;
      started = true;
      advance('ready_sent');
      post(buildReady());
      log({ level: 'info', message: 'sent ready', detail: origins.origins.join(', ') });
    },
    requestMemberAuthentication,
    onScreen(listener) {
      screenListeners.add(listener);
      return () => screenListeners.delete(listener);
    },
    setBeforeSaveHandler(handler) {
      beforeSaveHandler = handler;
    },
    openScreen(args) {
      send({ hosted_request: 'openScreen', args: { newTab: args.newTab, screen: args.screen, id: args.id } });
    },
    refreshScreen() {
      send({ hosted_request: 'refreshScreen', args: {} });
    },
    setDirty(dirty) {
      send({ hosted_request: 'setDirty', args: { dirty } });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      win.removeEventListener('message', listener);
      screenListeners.clear();
      queue = [];
      const pending = pendingAuth;
      pendingAuth = null;
      pending?.reject(new HostedApiClosedError(AUTH_REQUEST));
    },
  };
}
