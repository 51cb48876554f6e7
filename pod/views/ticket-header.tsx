import type { Ticket } from '../../shared/ticket-context.ts';
import { CopyButton } from './copy-button.tsx';
import { formatAge, formatDateTime } from './format.ts';
import { formatAbsolute, readSla, stageLabel, ticketIsTopPriority } from './urgency.ts';
import { useNow } from './use-now.ts';

interface TicketHeaderProps {
  ticket: Ticket;
  refreshing: boolean;
  onRefresh: () => void;
  /** Fixes the clock (tests); otherwise the header re-reads it every 30 s. */
  now?: number;
}

/**
 * What the ticket is and how urgent: the priority in ConnectWise's own colour, the SLA's
 * next due moment ("Resolve due in 2 h 10 min", "overdue by 3 h" in the alert colour, the
 * absolute time on hover and focus), status and age. Anything ConnectWise omits is left out.
 */
export function TicketHeader({ ticket, refreshing, onRefresh, now: fixedNow }: TicketHeaderProps) {
  const now = useNow(fixedNow);
  const sla = ticket.sla;
  const reading = ticket.closed ? null : readSla(sla.status, now);
  const priority = ticket.priority;
  const top = priority !== undefined && ticketIsTopPriority(ticket);
  return (
    <header class="ticket-header" data-testid="ticket-header">
      <div class="header-top">
        <h1 class="ticket-title">
          <span class="ticket-number" data-testid="ticket-id">
            #{ticket.id}
          </span>{' '}
          <span class="ticket-summary" title={ticket.summary}>
            {ticket.summary}
          </span>
        </h1>
        <CopyButton text={String(ticket.id)} what="ticket number" />
        <button
          type="button"
          class="icon-button"
          data-testid="refresh-button"
          aria-label="Refresh ticket from ConnectWise"
          title="Refresh from ConnectWise"
          disabled={refreshing}
          aria-busy={refreshing}
          onClick={onRefresh}
        >
          <span aria-hidden="true" class={refreshing ? 'spin' : ''}>
            ↻
          </span>
        </button>
      </div>
      <ul class="chips" aria-label="Ticket details">
        {priority?.name && (
          <li
            class={top ? 'chip chip-priority chip-top' : 'chip chip-priority'}
            data-testid="ticket-priority"
            style={priority.color ? { borderLeftColor: priority.color } : undefined}
          >
            {priority.color && <span class="priority-dot" aria-hidden="true" style={{ backgroundColor: priority.color }} />}
            {priority.name}
          </li>
        )}
        {reading ? (
          <li
            class={reading.overdue ? 'chip chip-alert' : reading.soon ? 'chip chip-warn' : 'chip'}
            data-testid="ticket-sla"
            data-sla={reading.overdue ? 'overdue' : reading.soon ? 'soon' : 'ok'}
          >
            <span class="tip-host" tabIndex={0} aria-describedby="sla-due-at">
              {stageLabel[reading.stage]} {reading.text}
            </span>
            <time role="tooltip" id="sla-due-at" class="tip" dateTime={reading.at.toISOString()}>
              {stageLabel[reading.stage]} by {formatAbsolute(reading.at)}
            </time>
          </li>
        ) : (
          !ticket.closed &&
          (sla.isInSla === false ? (
            <li class="chip chip-alert" data-testid="ticket-sla" data-sla="missed">
              SLA missed{sla.status ? `: ${sla.status}` : ''}
            </li>
          ) : (
            sla.status && (
              <li class="chip" data-testid="ticket-sla">
                SLA: {sla.status}
              </li>
            )
          ))
        )}
        {ticket.status?.name && (
          <li class={ticket.closed ? 'chip chip-closed' : 'chip'} data-testid="ticket-status">
            {ticket.status.name}
          </li>
        )}
        {ticket.enteredAt && (
          <li class="chip" data-testid="ticket-age">
            <span class="tip-host" tabIndex={0} aria-describedby="ticket-entered-at">
              {formatAge(ticket.enteredAt, now) === 'just now' ? 'Entered just now' : `Entered ${formatAge(ticket.enteredAt, now)} ago`}
            </span>
            <time role="tooltip" id="ticket-entered-at" class="tip" dateTime={ticket.enteredAt}>
              {formatDateTime(ticket.enteredAt)}
            </time>
          </li>
        )}
        {ticket.board?.name && <li class="chip">{ticket.board.name}</li>}
      </ul>
    </header>
  );
}
