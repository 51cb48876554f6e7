import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { formatAge } from './format.ts';

interface OtherTicketsCardProps {
  section: TicketContext['otherOpenTickets'];
  onOpen: (id: number) => void;
}

export function OtherTicketsCard({ section, onOpen }: OtherTicketsCardProps) {
  const title = "Company's other open tickets";
  if (!section.ok) return <Card id="other-tickets" title={title} error={section.error} />;
  const tickets = section.data;
  return (
    <Card id="other-tickets" title={title} aside={tickets.length > 0 ? tickets.length : undefined}>
      {tickets.length === 0 ? (
        <p class="empty">No other open tickets.</p>
      ) : (
        <ul class="plain-list rows">
          {tickets.map((ticket) => (
            <li key={ticket.id} class="row">
              <button
                type="button"
                class="link-button row-main ticket-link"
                title="Opens in a new ConnectWise tab"
                onClick={() => onOpen(ticket.id)}
              >
                <span class="ticket-number">#{ticket.id}</span> {ticket.summary}
              </button>
              <span class="row-sub muted">
                {[ticket.status, ticket.priority, ticket.board, ticket.enteredAt && `${formatAge(ticket.enteredAt)} old`]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
