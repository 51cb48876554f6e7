import { batch, effect } from '@preact/signals';
import type { PodSession } from '../../shared/pod-api.ts';
import type { SolvedBefore } from '../../shared/solved-before.ts';
import { PodApiError } from '../api/errors/pod-api-error.ts';
import type { PodApiClient } from '../api/pod-api-client.ts';
import type { HostScreen, PodHost } from './pod-host.ts';
import type { PodFailure, PodState } from './pod-state.ts';

/**
 * Wires the pod one way: protocol client → session → pod API → view state. Views only read
 * the state and call these methods; nothing here touches the DOM.
 */
export interface PodController {
  start(): void;
  /** After a failure: try again from where it failed. */
  retry(): void;
  /** Re-fetch the ticket past every cache (and the company's agreements, if they were asked for). */
  refresh(): void;
  /** Load the company's active agreements for the ticket on screen (the Agreements card asks). */
  loadAgreements(): void;
  /** Open another ticket in a new ConnectWise tab. */
  openTicket(id: number): void;
  /** The company's resolved tickets most like this one (the Solved before card asks; it keeps its own state). */
  findSolvedBefore(ticketId: number, signal: AbortSignal): Promise<SolvedBefore>;
  dispose(): void;
}

export interface PodControllerOptions {
  host: PodHost;
  api: PodApiClient;
  state: PodState;
  /** How long ConnectWise gets to frame and verify the member before the pod says which step hung. */
  handshakeTimeoutMs?: number;
  /** Fraction of a session's life after which it is renewed in the background. */
  renewAtFraction?: number;
  /** Restart the whole handshake (the page reload in the browser): used by Retry when ConnectWise never answered. */
  reload?: () => void;
}

/** Failures after which the last good view of the same ticket stays up under a banner. */
const degradable = new Set<string>(['connectwise_unreachable', 'rate_limited']);

export function createPodController(options: PodControllerOptions): PodController {
  const { host, api, state } = options;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 8_000;
  const renewAtFraction = options.renewAtFraction ?? 0.8;

  let sessionPromise: Promise<PodSession> | null = null;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  let handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: { id: number; abort: AbortController } | null = null;
  let agreementsInFlight: { id: number; abort: AbortController } | null = null;
  let disposed = false;
  const cleanups: (() => void)[] = [];

  function toFailure(error: unknown): PodFailure {
    if (error instanceof PodApiError) {
      return { code: error.code, detail: error.message, retryAfter: error.retryAfter, requestId: error.requestId };
    }
    // Anything else comes from the protocol client: ConnectWise did not answer in time.
    return {
      code: 'handshake_timeout',
      step: state.step.peek(),
      detail: error instanceof Error ? error.message : undefined,
    };
  }

  function obtainSession(): Promise<PodSession> {
    if (sessionPromise) return sessionPromise;
    const attempt = (async () => {
      const auth = await host.requestMemberAuthentication();
      if (!state.session.peek()) state.step.value = 'verifying';
      const ticketId = state.otherScreen.peek() === null ? state.ticketId.peek() : null;
      const session = await api.createSession(auth, ticketId !== null ? { ticketId } : {});
      if (disposed) return session;
      batch(() => {
        state.session.value = session;
        if (state.failure.peek()?.code === 'handshake_timeout') state.failure.value = null;
        if (state.step.peek() === 'verifying' || state.step.peek() === 'framed' || state.step.peek() === 'waiting') {
          state.step.value = 'loading';
        }
      });
      scheduleRenewal(session);
      return session;
    })();
    // A timed-out attempt may be dropped (see armHandshakeTimer) and must not clear its successor.
    const settle = () => {
      if (sessionPromise === attempt) sessionPromise = null;
    };
    attempt.then(settle, settle);
    sessionPromise = attempt;
    return attempt;
  }

  function scheduleRenewal(session: PodSession) {
    clearTimeout(renewTimer);
    const life = Date.parse(session.expiresAt) - Date.now();
    if (!Number.isFinite(life)) return;
    renewTimer = setTimeout(() => {
      // Silent: if it fails, the session is still valid for a while and the next 401 tries again.
      obtainSession().catch(() => undefined);
    }, Math.max(0, life * renewAtFraction));
  }

  function usableSession(): Promise<PodSession> {
    const session = state.session.peek();
    if (session && !sessionPromise && Date.parse(session.expiresAt) > Date.now()) return Promise.resolve(session);
    return obtainSession();
  }

  /** Runs a call with the session token; on session_expired renews once and retries once. */
  async function withSession<T>(call: (token: string) => Promise<T>): Promise<T> {
    const session = await usableSession();
    try {
      return await call(session.token);
    } catch (error) {
      if (!(error instanceof PodApiError) || error.code !== 'session_expired') throw error;
      const current = state.session.peek();
      const renewed = current && current !== session && !sessionPromise ? current : await obtainSession();
      return call(renewed.token);
    }
  }

  function authenticate() {
    obtainSession().then(
      () => {
        if (state.ticketId.peek() === null && state.otherScreen.peek() === null) state.step.value = 'loading';
      },
      (error: unknown) => {
        if (!disposed) state.failure.value = toFailure(error);
      },
    );
  }

  function armHandshakeTimer() {
    clearTimeout(handshakeTimer);
    handshakeTimer = setTimeout(() => {
      if (state.failure.peek()) return;
      if (!state.session.peek()) {
        // Retry must ask the host again rather than wait on a request it may never answer.
        sessionPromise = null;
        state.failure.value = { code: 'handshake_timeout', step: state.step.peek() };
      } else if (state.ticketId.peek() === null && state.otherScreen.peek() === null) {
        state.failure.value = { code: 'no_ticket' };
      }
    }, handshakeTimeoutMs);
  }

  /** The agreements belong to one ticket: leaving it cancels their request and forgets them. */
  function dropAgreements() {
    agreementsInFlight?.abort.abort();
    agreementsInFlight = null;
    state.agreements.value = { status: 'idle' };
  }

  function fetchAgreements(fresh: boolean) {
    const id = state.ticketId.peek();
    if (id === null || state.otherScreen.peek() !== null) return;
    if (agreementsInFlight?.id === id && !fresh) return;
    agreementsInFlight?.abort.abort();
    const request = { id, abort: new AbortController() };
    agreementsInFlight = request;
    const signal = request.abort.signal;
    const current = () => agreementsInFlight === request && !signal.aborted && !disposed;
    const before = state.agreements.peek();
    const shown =
      before.status === 'loaded' && before.ticketId === id
        ? before.answer
        : before.status === 'loading' && before.ticketId === id
          ? before.shown
          : null;
    state.agreements.value = { status: 'loading', ticketId: id, shown };
    withSession((token) => api.ticketAgreements(token, id, { fresh, signal }))
      .then(
        (answer) => {
          if (current()) state.agreements.value = { status: 'loaded', ticketId: id, answer };
        },
        (error: unknown) => {
          if (current()) state.agreements.value = { status: 'failed', ticketId: id, failure: toFailure(error) };
        },
      )
      .finally(() => {
        if (agreementsInFlight === request) agreementsInFlight = null;
      });
  }

  function showTicket(id: number, fresh: boolean) {
    if (id !== state.ticketId.peek()) {
      inFlight?.abort.abort();
      inFlight = null;
      batch(() => {
        dropAgreements();
        state.ticketId.value = id;
        state.ticket.value = null;
        state.context.value = null;
        state.stale.value = null;
        state.failure.value = null;
        state.refreshing.value = false;
        if (state.session.peek()) state.step.value = 'loading';
      });
    } else if (inFlight && inFlight.id === id && !fresh) {
      return; // the same ticket is loading already (URL id, then onLoad for it)
    } else {
      inFlight?.abort.abort();
    }
    load(id, fresh);
  }

  function load(id: number, fresh: boolean) {
    const request = { id, abort: new AbortController() };
    inFlight = request;
    const signal = request.abort.signal;
    const current = () => inFlight === request && !signal.aborted && !disposed;
    let gotContext = false;
    if (fresh) state.refreshing.value = true;

    withSession((token) => api.ticketSummary(token, id, { fresh, signal })).then(
      (summary) => {
        if (current() && !gotContext && summary.ticket.id === id) state.ticket.value = summary.ticket;
      },
      // The context request reports the same failure with the whole picture.
      () => undefined,
    );

    withSession((token) => api.ticketContext(token, id, { fresh, signal }))
      .then(
        (context) => {
          if (!current() || context.ticket.id !== id) return;
          gotContext = true;
          // Time-to-context for `npm run bench`: the first full context of each ticket.
          if (state.context.peek()?.ticket.id !== id) performance.mark('pod:context-shown', { detail: { ticketId: id } });
          batch(() => {
            state.context.value = context;
            state.ticket.value = context.ticket;
            state.stale.value = null;
            state.failure.value = null;
            state.step.value = 'ready';
          });
        },
        (error: unknown) => {
          if (!current()) return;
          const failure = toFailure(error);
          const shown = state.context.peek();
          if (shown && shown.ticket.id === id && degradable.has(failure.code)) {
            state.stale.value = failure;
          } else {
            state.failure.value = failure;
          }
        },
      )
      .finally(() => {
        if (inFlight === request) {
          inFlight = null;
          state.refreshing.value = false;
        }
      });
  }

  function onScreen(screen: HostScreen) {
    const name = screen.screen.toLowerCase();
    if (name !== 'ticket') {
      inFlight?.abort.abort();
      inFlight = null;
      dropAgreements();
      state.otherScreen.value = name;
      return;
    }
    state.otherScreen.value = null;
    if (state.failure.peek()?.code === 'no_ticket') state.failure.value = null;
    showTicket(screen.id, false);
  }

  return {
    start() {
      host.setBeforeSaveHandler(() => ({ result: 'success' })); // the pod edits nothing
      cleanups.push(host.onScreen(onScreen));
      cleanups.push(
        effect(() => {
          const status = host.status.value;
          if (state.session.peek()) return;
          state.step.value = status === 'framed' ? 'framed' : status === 'authenticated' ? 'verifying' : 'waiting';
        }),
      );
      host.start();
      armHandshakeTimer();
      const { urlTicket, urlScreen } = state.debug;
      if (urlScreen !== null && urlScreen !== 'ticket') {
        state.otherScreen.value = urlScreen;
      } else if (urlTicket.kind === 'id') {
        showTicket(urlTicket.id, false);
      }
      if (!sessionPromise) authenticate();
    },
    retry() {
      const failure = state.failure.peek();
      if (failure?.code === 'handshake_timeout' && options.reload && host.status.peek() !== 'framed' && host.status.peek() !== 'authenticated') {
        options.reload();
        return;
      }
      batch(() => {
        state.failure.value = null;
        state.stale.value = null;
      });
      armHandshakeTimer();
      const id = state.ticketId.peek();
      if (!state.session.peek()) authenticate();
      if (id !== null && state.otherScreen.peek() === null) {
        inFlight?.abort.abort();
        inFlight = null;
        load(id, false);
      }
    },
    refresh() {
      const id = state.ticketId.peek();
      if (id === null || state.otherScreen.peek() !== null) return;
      // The stale banner stays until fresh data replaces the old view.
      showTicket(id, true);
      // A list the technician asked for is re-read with the rest rather than dropped.
      if (state.agreements.peek().status !== 'idle') fetchAgreements(true);
    },
    loadAgreements() {
      fetchAgreements(false);
    },
    openTicket(id) {
      host.openScreen({ screen: 'ticket', id, newTab: true });
    },
    findSolvedBefore(ticketId, signal) {
      return withSession((token) => api.solvedBefore(token, ticketId, { signal }));
    },
    dispose() {
      disposed = true;
      clearTimeout(renewTimer);
      clearTimeout(handshakeTimer);
      inFlight?.abort.abort();
      inFlight = null;
      agreementsInFlight?.abort.abort();
      agreementsInFlight = null;
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
