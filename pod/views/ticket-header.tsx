import type { Ticket } from '../../shared/ticket-context.ts';
import { formatAge, formatDateTime } from './format.ts';

interface TicketHeaderProps {
  ticket: Ticket;
  refreshing: boolean;
  onRefresh: () => void;
  /** Used for the age; the header re-renders with the state, which is often enough for minutes. */
  now?: number;
}

export function TicketHeader({ ticket, refreshing, onRefresh, now }: TicketHeaderProps) {
  const sla = ticket.sla;
  const slaLate = sla.isInSla === false;
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
        {ticket.status?.name && <li class={ticket.closed ? 'chip chip-closed' : 'chip'}>{ticket.status.name}</li>}
        {ticket.priority?.name && (
          <li class="chip">
            {ticket.priority.color && (
              <span class="priority-dot" aria-hidden="true" style={{ backgroundColor: ticket.priority.color }} />
            )}
            {ticket.priority.name}
          </li>
        )}
        {ticket.board?.name && <li class="chip">{ticket.board.name}</li>}
        {ticket.enteredAt && (
          <li class="chip" title={`Entered ${formatDateTime(ticket.enteredAt)}`}>
            Age {formatAge(ticket.enteredAt, now)}
          </li>
        )}
        {sla.status && (
          <li class={slaLate ? 'chip chip-warn' : 'chip'} data-testid="ticket-sla">
            SLA: {sla.status}
          </li>
        )}
      </ul>
    </header>
  );
}
