import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { formatAge } from './format.ts';
import { byUrgency, isTopPriority, openTicketOverdue, readSla } from './urgency.ts';
import { useNow } from './use-now.ts';

interface OtherTicketsCardProps {
  section: TicketContext['otherOpenTickets'];
  onOpen: (id: number) => void;
  /** Fixes the clock (tests). */
  now?: number;
}

/** The company's other open tickets, most urgent first (priority, then SLA), P1s and overdue ones marked. */
export function OtherTicketsCard({ section, onOpen, now: fixedNow }: OtherTicketsCardProps) {
  const now = useNow(fixedNow, 60_000);
  const title = "Company's other open tickets";
  if (!section.ok) return <Card id="other-tickets" title={title} error={section.error} />;
  const tickets = byUrgency(section.data, now);
  return (
    <Card id="other-tickets" title={title} aside={tickets.length > 0 ? tickets.length : undefined}>
      {tickets.length === 0 ? (
        <p class="empty">No other open tickets.</p>
      ) : (
        <ul class="plain-list rows">
          {tickets.map((ticket) => {
            const top = isTopPriority(ticket.prioritySort, ticket.priority);
            const overdue = openTicketOverdue(ticket, now);
            const sla = readSla(ticket.slaStatus, now);
            return (
              <li
                key={ticket.id}
                class="row"
                data-testid="other-ticket"
                data-top={top ? 'true' : undefined}
                data-overdue={overdue ? 'true' : undefined}
                style={ticket.priorityColor ? { borderLeftColor: ticket.priorityColor } : undefined}
              >
                <button
                  type="button"
                  class="link-button row-main ticket-link"
                  title="Opens in a new ConnectWise tab"
                  onClick={() => onOpen(ticket.id)}
                >
                  {top && <span class="badge badge-alert">P1</span>}
                  {overdue && <span class="badge badge-alert">Overdue</span>}
                  <span class="ticket-number">#{ticket.id}</span> {ticket.summary}
                </button>
                <span class="row-sub muted">
                  {[
                    ticket.priority,
                    sla && !sla.overdue ? `${sla.stage} ${sla.text}` : undefined,
                    ticket.status,
                    ticket.board,
                    ticket.enteredAt && `${formatAge(ticket.enteredAt, now)} old`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
