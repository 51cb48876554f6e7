import type { FailureCode, PodFailure, PodStep } from '../app/pod-state.ts';

/** One or two sentences per failure: what happened, and what the technician can do. */
export interface FailureText {
  title: string;
  body: string;
  /** Whether trying again can help without anyone changing anything. */
  retry: boolean;
  /** The body is the server's own line (the failure), so it is not repeated as "Details". */
  bodyIsDetail?: boolean;
}

export const stepText: Record<PodStep, string> = {
  waiting: 'waiting for ConnectWise',
  framed: 'frame id received',
  verifying: 'verifying you',
  loading: 'loading the ticket',
  ready: 'ticket shown',
};

export function failureText(failure: PodFailure, ticketId: number | null): FailureText {
  const ticket = ticketId === null ? 'this ticket' : `ticket #${ticketId}`;
  const texts: Record<FailureCode, FailureText> = {
    handshake_timeout: {
      title: 'No answer from ConnectWise',
      body: `The pod stopped at step “${stepText[failure.step ?? 'waiting']}”. Check that the Manage Hosted API Origin is this pod's origin and the site in the admin console is right.`,
      retry: true,
    },
    no_ticket: {
      title: 'No ticket to show',
      body: 'ConnectWise has not said which ticket is open. Check that the pod URL in Manage Hosted API ends with ?id=[cw_id]&screen=[cw_screen], then reopen the ticket.',
      retry: true,
    },
    not_configured: {
      title: 'Pod not set up',
      body: 'This pod is not set up for your ConnectWise company yet. Ask your admin to add the company in the pod admin console.',
      retry: false,
    },
    member_unverified: {
      title: 'Could not verify you',
      body: 'ConnectWise could not confirm who you are. Sign out of ConnectWise and in again; if it persists, ask your admin to run the connection test.',
      retry: true,
    },
    session_expired: {
      title: 'Session ended',
      body: 'Your pod session ended and could not be renewed. Retry; if it persists, reload the ticket.',
      retry: true,
    },
    ticket_not_found: {
      title: 'Ticket not found',
      body: `ConnectWise has no ${ticket}: it may have been deleted or merged. Reopen the ticket from its board.`,
      retry: true,
    },
    ticket_forbidden: {
      title: 'No access to this ticket',
      body: `ConnectWise says you cannot view ${ticket}. Ask your admin for access to its board.`,
      retry: false,
    },
    board_not_enabled: {
      title: 'Board not enabled',
      body: `The pod is not enabled for the board of ${ticket}. Ask your admin to enable the board in the pod admin console.`,
      retry: false,
    },
    connectwise_unreachable: {
      title: 'ConnectWise is not responding',
      // retryAfter comes with an open circuit: the pod server pauses calls to ConnectWise for that long.
      body:
        failure.retryAfter !== undefined
          ? `ConnectWise has not answered several requests in a row, so the pod server has paused calls to it. Wait ${failure.retryAfter} s, then retry.`
          : 'ConnectWise did not answer in time or could not be reached. Wait a moment, then retry.',
      retry: true,
    },
    // Tenant-level (keys, clientId, API member, company): one screen, the failure in one line,
    // no "sign in again": the technician's own credentials are fine (issue 11 item 3).
    connectwise_rejected_keys: {
      title: "This pod's connection to ConnectWise needs your admin",
      body: failure.detail ?? "ConnectWise refused the pod's own connection (its API keys or settings).",
      bodyIsDetail: true,
      retry: false,
    },
    rate_limited: {
      title: 'Too many requests',
      body:
        failure.retryAfter !== undefined
          ? `ConnectWise asked the pod to slow down. Wait ${failure.retryAfter} s, then retry.`
          : 'ConnectWise asked the pod to slow down. Wait a minute, then retry.',
      retry: true,
    },
    bad_request: {
      title: 'Request refused',
      body: 'The pod server could not accept the pod’s request. Reload the ticket; if it persists, tell your admin.',
      retry: true,
    },
  };
  return texts[failure.code];
}
