import { useEffect, useRef, useState } from 'preact/hooks';
import type { SolvedBefore, SolvedTicket } from '../../shared/solved-before.ts';
import { PodApiError } from '../api/errors/pod-api-error.ts';
import { solvedBeforeSource } from '../app/solved-before-source.ts';
import { Card } from './card.tsx';
import { ClampedText } from './clamped-text.tsx';
import { failureText } from './failure-text.ts';
import { formatDate } from './format.ts';

/** The card's own states: nothing is asked of the server until the technician presses the button. */
type Search =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'results'; hits: SolvedTicket[]; searched: number }
  | { status: 'none'; searched: number }
  | { status: 'forbidden'; message: string }
  | { status: 'failed'; title: string; detail: string | undefined };

function toSearch(answer: SolvedBefore): Search {
  if (!answer.hits.ok) return { status: 'failed', title: 'ConnectWise could not be searched', detail: answer.hits.error.message };
  const hits = answer.hits.data;
  return hits.length === 0 ? { status: 'none', searched: answer.searched } : { status: 'results', hits, searched: answer.searched };
}

function toFailure(error: unknown, ticketId: number): Search {
  if (error instanceof PodApiError) {
    const text = failureText({ code: error.code, detail: error.message }, ticketId);
    if (error.code === 'ticket_forbidden' || error.code === 'board_not_enabled') return { status: 'forbidden', message: error.message || text.body };
    return { status: 'failed', title: text.title, detail: error.message };
  }
  return { status: 'failed', title: 'The search did not finish', detail: error instanceof Error ? error.message : undefined };
}

interface SolvedBeforeCardProps {
  ticketId: number;
}

/**
 * Solved before (issue 15): the company's resolved tickets most like this one, with how each
 * was resolved. A button, so a view costs ConnectWise nothing until the technician asks; a
 * failure stays inside this card. Mounted per ticket (keyed by id), so nothing found for one
 * ticket shows under another; leaving the ticket cancels the search.
 */
export function SolvedBeforeCard({ ticketId }: SolvedBeforeCardProps) {
  const source = solvedBeforeSource();
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  const inFlight = useRef<AbortController | null>(null);
  useEffect(() => () => inFlight.current?.abort(), []);
  if (source === null) return null;

  function find() {
    if (source === null) return;
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setSearch({ status: 'loading' });
    source.find(ticketId, controller.signal).then(
      (answer) => {
        if (!controller.signal.aborted) setSearch(toSearch(answer));
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setSearch(toFailure(error, ticketId));
      },
    );
  }

  const loading = search.status === 'loading';
  const aside = search.status === 'results' ? search.hits.length : undefined;
  return (
    <Card id="solved-before" title="Solved before" aside={aside}>
      {(search.status === 'idle' || search.status === 'failed') && (
        <button type="button" class="link-button" data-testid="solved-before-find" onClick={find}>
          {search.status === 'failed' ? 'Search again' : 'Find similar solved tickets'}
        </button>
      )}
      <div data-testid="solved-before-state" data-state={search.status} aria-live="polite" aria-busy={loading}>
        {search.status === 'loading' && <p class="muted">Searching this company's resolved tickets of the last 12 months…</p>}
        {search.status === 'none' && (
          <p class="empty">
            No similar resolved tickets for this company in the last 12 months
            {search.searched > 0 ? ` (${search.searched} compared).` : '.'}
          </p>
        )}
        {search.status === 'forbidden' && <p class="section-error">Solved before hidden: {search.message}</p>}
        {search.status === 'failed' && (
          <p class="section-error">
            {search.title}.{search.detail ? ` ${search.detail}` : ''}
          </p>
        )}
        {search.status === 'results' && <Hits hits={search.hits} onOpen={source.open} />}
      </div>
    </Card>
  );
}

function Hits({ hits, onOpen }: { hits: SolvedTicket[]; onOpen: (id: number) => void }) {
  return (
    <ul class="plain-list rows" aria-label={`Similar resolved tickets (${hits.length})`}>
      {hits.map((hit) => (
        <li key={hit.id} class="row" data-testid="solved-before-hit">
          <button
            type="button"
            class="link-button row-main ticket-link"
            title="Opens in a new ConnectWise tab"
            aria-label={`Open ticket #${hit.id} in a new tab`}
            onClick={() => onOpen(hit.id)}
          >
            <span class="ticket-number">#{hit.id}</span> {hit.summary}
          </button>
          <span class="row-sub muted">
            {[hit.closedAt && `closed ${formatDate(hit.closedAt)}`, hit.resolvedBy && `by ${hit.resolvedBy}`, hit.board].filter(Boolean).join(' · ')}
          </span>
          {hit.why.length > 0 && <span class="row-sub muted" data-testid="solved-before-why">{hit.why.join(' · ')}</span>}
          <Resolution hit={hit} />
        </li>
      ))}
    </ul>
  );
}

function Resolution({ hit }: { hit: SolvedTicket }) {
  if (!hit.resolution.ok) return <p class="section-error">Resolution could not be read: {hit.resolution.error.message}</p>;
  const resolution = hit.resolution.data;
  if (resolution === null) return <p class="empty">No notes on this ticket.</p>;
  return (
    <div data-testid="solved-before-resolution">
      <span class="muted">{resolution.flagged ? 'Resolution' : 'Last note'}:</span>
      <ClampedText text={resolution.text} label={`resolution of ticket #${hit.id}`} limit={240} maxLines={4} />
    </div>
  );
}
