import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { PodErrorCode } from '../../shared/errors.ts';
import type { HostMode, PodSession } from '../../shared/pod-api.ts';
import type { Ticket, TicketAgreements, TicketContext } from '../../shared/ticket-context.ts';

/** How far the pod got on its way to showing a ticket; named in the connecting screen and the debug panel. */
export type PodStep = 'waiting' | 'framed' | 'verifying' | 'loading' | 'ready';

/**
 * Why the pod shows no ticket: one of the pod API's codes, or a failure before any API call
 * (no answer from ConnectWise; verified, but ConnectWise never said which ticket is open).
 */
export type FailureCode = PodErrorCode | 'handshake_timeout' | 'no_ticket';

export interface PodFailure {
  code: FailureCode;
  /** The server's (or ConnectWise's) own sentence, shown under our explanation. */
  detail?: string | undefined;
  retryAfter?: number | undefined;
  requestId?: string | undefined;
  /** For handshake_timeout: the step reached when time ran out. */
  step?: PodStep | undefined;
}

/** What the URL's `id` token said: a ticket id, ConnectWise left `[cw_id]` as is, or nothing usable. */
export type UrlTicket =
  | { kind: 'id'; id: number }
  | { kind: 'not_substituted' }
  | { kind: 'missing' }
  | { kind: 'invalid'; raw: string };

/**
 * The company's active agreements, loaded only when the technician asks. Each state names the
 * ticket it belongs to, so nothing loaded for one ticket can show under another.
 */
export type AgreementsLoad =
  | { status: 'idle' }
  /** `shown`: the list already on screen while a refresh re-reads it, else null. */
  | { status: 'loading'; ticketId: number; shown: TicketAgreements | null }
  | { status: 'loaded'; ticketId: number; answer: TicketAgreements }
  | { status: 'failed'; ticketId: number; failure: PodFailure };

export interface PodState {
  step: Signal<PodStep>;
  /** Held in memory only: never a cookie, never storage. */
  session: Signal<PodSession | null>;
  /** The ticket ConnectWise is showing (from the URL, then from every onLoad). */
  ticketId: Signal<number | null>;
  /** Set when ConnectWise shows a screen other than a ticket. */
  otherScreen: Signal<string | null>;
  /** The header's data, filled as soon as the summary (or the full context) arrives. */
  ticket: Signal<Ticket | null>;
  context: Signal<TicketContext | null>;
  /** Back to idle whenever the ticket changes. */
  agreements: Signal<AgreementsLoad>;
  failure: Signal<PodFailure | null>;
  /** Degraded mode: the context shown is the last good one for this ticket. */
  stale: Signal<PodFailure | null>;
  refreshing: Signal<boolean>;
  debug: {
    mode: HostMode;
    urlTicket: UrlTicket;
    urlScreen: string | null;
  };
  /** What the root view shows. */
  screen: ReadonlySignal<'connecting' | 'failure' | 'other_screen' | 'ticket'>;
}

export function createPodState(init: { mode: HostMode; urlTicket: UrlTicket; urlScreen: string | null }): PodState {
  const step = signal<PodStep>('waiting');
  const session = signal<PodSession | null>(null);
  const ticketId = signal<number | null>(null);
  const otherScreen = signal<string | null>(null);
  const ticket = signal<Ticket | null>(null);
  const context = signal<TicketContext | null>(null);
  const agreements = signal<AgreementsLoad>({ status: 'idle' });
  const failure = signal<PodFailure | null>(null);
  const stale = signal<PodFailure | null>(null);
  const refreshing = signal(false);

  const screen = computed(() => {
    if (failure.value) return 'failure' as const;
    if (otherScreen.value !== null) return 'other_screen' as const;
    if (ticket.value && ticket.value.id === ticketId.value) return 'ticket' as const;
    return 'connecting' as const;
  });

  return {
    step,
    session,
    ticketId,
    otherScreen,
    ticket,
    context,
    agreements,
    failure,
    stale,
    refreshing,
    debug: { mode: init.mode, urlTicket: init.urlTicket, urlScreen: init.urlScreen },
    screen,
  };
}
