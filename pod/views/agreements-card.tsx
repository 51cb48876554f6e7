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

  const loadedList = mine.status === 'loaded' && mine.answer.agreements.ok ? mine.answer.agreements.data : null;
  const ownDetails = own && loadedList ? loadedList.find((a) => a.id === own.id) : undefined;
  const coverage = coverageOf(ticket, ownDetails);
  return (
    <Card id="agreements" title="Coverage">
      <p class="card-lead coverage-line">
        <span class={`badge coverage-${coverage.kind}`} data-testid="coverage" data-coverage={coverage.kind}>
          {coverage.label}
        </span>{' '}
        <span data-testid="ticket-agreement">
          {own ? (
            <>
              <span class="muted">This ticket: </span>
              <strong>{own.name ?? `Agreement #${own.id}`}</strong>
              {own.type && <span class="muted"> · {own.type}</span>}
            </>
          ) : (
            <span class="empty">No agreement on this ticket.</span>
          )}
        </span>
      </p>
      {ownDetails && limitText(ownDetails) && (
        <p class="muted" data-testid="agreement-limit">
          {limitText(ownDetails)}
        </p>
      )}
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

type Coverage = { kind: 'covered' | 'billable' | 'not-billed' | 'unknown'; label: string };

/**
 * Covered or billable, from what ConnectWise records: the ticket's agreement and its
 * `billTime`, and (once the agreements list is loaded) whether the agreement covers time.
 * ConnectWise's own rules (agreement type exclusions, work roles) are not visible here, so
 * this says what the records say and no more.
 */
export function coverageOf(ticket: Ticket, own: Agreement | undefined): Coverage {
  const bill = ticket.billTime?.toLowerCase();
  if (bill === 'nocharge' || bill === 'donotbill') return { kind: 'not-billed', label: bill === 'nocharge' ? 'No charge' : 'Not billed' };
  if (ticket.agreement) {
    if (own?.coversTime === false) return { kind: 'billable', label: 'Billable: agreement excludes time' };
    return { kind: 'covered', label: 'Covered' };
  }
  if (bill === 'billable') return { kind: 'billable', label: 'Billable' };
  return { kind: 'unknown', label: 'No agreement' };
}

const cycleText: Record<string, string> = {
  CalendarMonth: 'per month',
  CalendarQuarter: 'per quarter',
  CalendarWeek: 'per week',
  CalendarYear: 'per year',
  ContractYear: 'per contract year',
  ContractQuarter: 'per contract quarter',
  Contract2Weeks: 'per two weeks',
  Contract4Weeks: 'per four weeks',
};

/** "Limit: 40 Hours per month", "Unlimited"; null when ConnectWise records no limit. */
export function limitText(agreement: Agreement): string | null {
  if (agreement.unlimited) return 'Unlimited';
  if (agreement.applicationLimit === undefined || agreement.applicationLimit <= 0) return null;
  const cycle = agreement.applicationCycle ? ` ${cycleText[agreement.applicationCycle] ?? agreement.applicationCycle}` : '';
  return `Limit: ${agreement.applicationLimit} ${agreement.applicationUnits ?? ''}${cycle}`.replace(/\s+/g, ' ').trim();
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
            {limitText(agreement) && <span class="row-sub muted">{limitText(agreement)}</span>}
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
