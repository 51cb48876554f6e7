import type { Ticket, TicketContext } from '../../shared/ticket-context.ts';
import type { AgreementsLoad, PodFailure } from '../app/pod-state.ts';
import { AgreementsCard } from './agreements-card.tsx';
import { ClampedText } from './clamped-text.tsx';
import { CompanyCard } from './company-card.tsx';
import { ConfigurationsCard } from './configurations-card.tsx';
import { ContactCard } from './contact-card.tsx';
import { NotesCard } from './notes-card.tsx';
import { OtherTicketsCard } from './other-tickets-card.tsx';
import { Skeleton } from './skeleton.tsx';
import { SolvedBeforeCard } from './solved-before-card.tsx';
import { StaleBanner } from './stale-banner.tsx';
import { TicketHeader } from './ticket-header.tsx';
import { TimeCard } from './time-card.tsx';

interface TicketViewProps {
  ticket: Ticket;
  /** null while only the summary has arrived. */
  context: TicketContext | null;
  stale: PodFailure | null;
  refreshing: boolean;
  /** The company's agreements, loaded on request. */
  agreements: AgreementsLoad;
  onRefresh: () => void;
  onRetry: () => void;
  onOpenTicket: (id: number) => void;
  onLoadAgreements: () => void;
}

export function TicketView({
  ticket,
  context,
  stale,
  refreshing,
  agreements,
  onRefresh,
  onRetry,
  onOpenTicket,
  onLoadAgreements,
}: TicketViewProps) {
  return (
    <>
      <TicketHeader ticket={ticket} refreshing={refreshing} onRefresh={onRefresh} />
      {stale && context && <StaleBanner failure={stale} fetchedAt={context.meta.fetchedAt} onRetry={onRetry} />}
      <main class="pod-scroll" aria-busy={context === null}>
        {ticket.initialDescription && (
          <section class="card" data-testid="card-description" aria-labelledby="card-description-title">
            <h2 id="card-description-title" class="card-title">
              Description
            </h2>
            <ClampedText text={ticket.initialDescription} label="description" />
          </section>
        )}
        {context === null ? (
          <Skeleton blocks={4} />
        ) : (
          <>
            <CompanyCard section={context.company} />
            <ContactCard section={context.contact} />
            <NotesCard section={context.notes} />
            <ConfigurationsCard section={context.configurations} />
            <TimeCard section={context.time} budgetHours={context.ticket.budgetHours} />
            <AgreementsCard key={context.ticket.id} ticket={context.ticket} load={agreements} onLoad={onLoadAgreements} />
            <OtherTicketsCard section={context.otherOpenTickets} onOpen={onOpenTicket} />
            <SolvedBeforeCard key={context.ticket.id} ticketId={context.ticket.id} />
          </>
        )}
      </main>
    </>
  );
}
