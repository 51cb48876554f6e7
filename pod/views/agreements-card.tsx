import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { formatDate } from './format.ts';

export function AgreementsCard({ section }: { section: TicketContext['agreements'] }) {
  if (!section.ok) return <Card id="agreements" title="Agreements" error={section.error} />;
  const agreements = section.data;
  return (
    <Card id="agreements" title="Agreements" aside={agreements.length > 0 ? agreements.length : undefined}>
      {agreements.length === 0 ? (
        <p class="empty">No agreements for this company.</p>
      ) : (
        <ul class="plain-list rows">
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
      )}
    </Card>
  );
}
