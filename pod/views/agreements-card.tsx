import { useState } from 'preact/hooks';
import type { Agreement, Ticket } from '../../shared/ticket-context.ts';
import type { AgreementsLoad } from '../app/pod-state.ts';
import { Card, sectionErrorText } from './card.tsx';
import { failureText } from './failure-text.ts';
import { formatDate } from './format.ts';

interface AgreementsCardProps {
  ticket: Ticket;
  /** The company's list, as far as it has been loaded (for any ticket: the card checks the id). */
  load: AgreementsLoad;
  onLoad: () => void;
}

const listTitle = "Company's agreements";
const regionId = 'agreements-company';

/**
 * The ticket's own agreement at once (it comes with the ticket), and the company's active
 * agreements behind a disclosure button: reading them costs a ConnectWise call, so only a
 * technician who wants them pays it. The button stays in place through loading, showing and
 * hiding, so keyboard focus never falls off the card.
 */
export function AgreementsCard({ ticket, load, onLoad }: AgreementsCardProps) {
  const [open, setOpen] = useState(false);
  const mine: AgreementsLoad = load.status !== 'idle' && load.ticketId === ticket.id ? load : { status: 'idle' };
  const loading = mine.status === 'loading';
  const expanded = open && (loading || mine.status === 'loaded');
  const own = ticket.agreement;

  function toggle() {
    if (expanded) {
      setOpen(false);
      return;
    }
    setOpen(true);
    if (mine.status === 'idle' || mine.status === 'failed') onLoad();
  }

  return (
    <Card id="agreements" title="Agreements">
      <p class="card-lead" data-testid="ticket-agreement">
        {own ? (
          <>
            <span class="muted">This ticket: </span>
            <strong>{own.name ?? `Agreement #${own.id}`}</strong>
            {own.type && <span class="muted"> · {own.type}</span>}
          </>
        ) : (
          <span class="empty">No agreement on this ticket.</span>
        )}
      </p>
      {ticket.company?.id !== undefined && (
        <>
          <button
            type="button"
            class="link-button"
            data-testid="agreements-toggle"
            aria-expanded={expanded}
            aria-controls={regionId}
            aria-busy={loading}
            onClick={toggle}
          >
            {expanded ? "Hide the company's active agreements" : "Show the company's active agreements"}
          </button>
          <div id={regionId} data-testid={regionId} aria-live="polite" aria-busy={loading && mine.shown !== null}>
            {open && <CompanyAgreements load={mine} ticketId={ticket.id} />}
          </div>
        </>
      )}
    </Card>
  );
}

function CompanyAgreements({ load, ticketId }: { load: AgreementsLoad; ticketId: number }) {
  if (load.status === 'idle') return null;
  if (load.status === 'failed') {
    const text = failureText(load.failure, ticketId);
    return (
      <>
        <p class="section-error" data-testid="agreements-company-error">
          {listTitle} could not be loaded: {text.title}. {text.body}
        </p>
        {load.failure.detail && <p class="muted detail">Details: {load.failure.detail}</p>}
      </>
    );
  }
  const answer = load.status === 'loaded' ? load.answer : load.shown;
  if (answer === null) return <p class="muted">Loading the company's active agreements…</p>;
  const section = answer.agreements;
  if (!section.ok) {
    return (
      <p class="section-error" data-testid="agreements-company-error">
        {sectionErrorText(listTitle, section.error)}
      </p>
    );
  }
  if (section.data.length === 0) return <p class="empty">No active agreements for this company.</p>;
  return <AgreementList agreements={section.data} />;
}

function AgreementList({ agreements }: { agreements: Agreement[] }) {
  return (
    <ul class="plain-list rows" aria-label={`${listTitle} (${agreements.length} active)`}>
      {agreements.map((agreement) => {
        const start = formatDate(agreement.startDate);
        const end = agreement.noEndingDate ? 'no end date' : formatDate(agreement.endDate);
        return (
          <li key={agreement.id} class="row">
            <span class="row-main">
              <strong>{agreement.name}</strong>
              {agreement.type && <span class="muted"> · {agreement.type}</span>}
              {agreement.status && <span class="badge">{agreement.status}</span>}
            </span>
            {(start || end) && (
              <span class="row-sub muted">
                {start}
                {start && end && ' – '}
                {end}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
