import type { VNode } from 'preact';
import type { Ticket, TicketContext } from '../../shared/ticket-context.ts';
import type { AgreementsLoad, PodFailure } from '../app/pod-state.ts';
import type { LinkTemplate } from '../../shared/pod-display.ts';
import { AgreementsCard } from './agreements-card.tsx';
import { Card } from './card.tsx';
import { CardPlacement, ordered } from './card-layout.ts';
import { ClampedText } from './clamped-text.tsx';
import { CompanyCard } from './company-card.tsx';
import { CompanyStatusAlert } from './company-status-alert.tsx';
import { ConfigurationsCard } from './configurations-card.tsx';
import { ContactCard } from './contact-card.tsx';
import { NotesCard } from './notes-card.tsx';
import { OtherTicketsCard } from './other-tickets-card.tsx';
import { Skeleton } from './skeleton.tsx';
import { SolvedBeforeCard } from './solved-before-card.tsx';
import { StaleBanner } from './stale-banner.tsx';
import { TicketHeader } from './ticket-header.tsx';
import { TimeCard } from './time-card.tsx';
// The view's styles load with its chunk: the first paint (connecting screen) needs none of them.
import '../styles/header.css';
import '../styles/cards.css';

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
  /** Fixes the clock for the header and lists (tests). */
  now?: number;
  /** The tenant's configuration link templates (issue 12). */
  linkTemplates?: readonly LinkTemplate[];
}

/**
 * The default order answers a technician's four questions first: what and how urgent (the
 * header), who (company, contact), covered (coverage); the rest follows. Each technician's
 * own order and folded cards come from card-layout.ts.
 */
const defaultOrder = ['company', 'contact', 'agreements', 'description', 'notes', 'configurations', 'time', 'other-tickets'] as const;
type CardId = (typeof defaultOrder)[number];

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
  now,
  linkTemplates = [],
}: TicketViewProps) {
  const company = context?.company.ok ? context.company.data : null;
  const cards: Partial<Record<CardId, VNode>> = {
    ...(ticket.initialDescription
      ? {
          description: (
            <Card id="description" title="Description">
              <ClampedText text={ticket.initialDescription} label="description" maxLines={3} limit={240} />
            </Card>
          ),
        }
      : {}),
    ...(context
      ? {
          company: <CompanyCard section={context.company} />,
          contact: <ContactCard section={context.contact} country={company?.address?.country} />,
          agreements: <AgreementsCard key={context.ticket.id} ticket={context.ticket} load={agreements} onLoad={onLoadAgreements} />,
          notes: <NotesCard section={context.notes} />,
          configurations: <ConfigurationsCard section={context.configurations} linkTemplates={linkTemplates} />,
          time: <TimeCard section={context.time} budgetHours={context.ticket.budgetHours} />,
          'other-tickets': (
            <OtherTicketsCard section={context.otherOpenTickets} onOpen={onOpenTicket} {...(now !== undefined ? { now } : {})} />
          ),
        }
      : {}),
  };
  const ids = ordered(defaultOrder.filter((id) => cards[id] !== undefined));
  return (
    <>
      <CompanyStatusAlert company={company} />
      <TicketHeader ticket={ticket} refreshing={refreshing} onRefresh={onRefresh} {...(now !== undefined ? { now } : {})} />
      {stale && context && <StaleBanner failure={stale} fetchedAt={context.meta.fetchedAt} onRetry={onRetry} />}
      <main class="pod-scroll" aria-busy={context === null}>
        <CardPlacement.Provider value={ids}>
          {ids.map((id) => (
            <div key={id} class="card-slot">
              {cards[id as CardId]}
            </div>
          ))}
        </CardPlacement.Provider>
        {context === null ? <Skeleton blocks={4} /> : <SolvedBeforeCard key={context.ticket.id} ticketId={context.ticket.id} />}
      </main>
    </>
  );
}
