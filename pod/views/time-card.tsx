import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { FieldList } from './field-list.tsx';
import { formatDateTime, formatHours } from './format.ts';

export function TimeCard({ section, budgetHours }: { section: TicketContext['time']; budgetHours?: number | undefined }) {
  if (!section.ok) return <Card id="time" title="Time" error={section.error} />;
  const time = section.data;
  return (
    <Card id="time" title="Time">
      {time.entries === 0 ? (
        <p class="empty">No time entered{budgetHours ? ` (budget ${formatHours(budgetHours)})` : ''}.</p>
      ) : (
        <>
          <FieldList
            fields={[
              ['Actual', `${formatHours(time.actualHours)}${budgetHours ? ` of ${formatHours(budgetHours)} budget` : ''}`],
              ['Billable', formatHours(time.billableHours)],
              ['Entries', String(time.entries)],
              ['Last entry', formatDateTime(time.lastEntryAt)],
            ]}
          />
          {time.byMember.length > 0 && (
            <ul class="plain-list by-member">
              {time.byMember.map((row) => (
                <li key={row.member}>
                  <span>{row.member}</span> <span class="muted">{formatHours(row.hours)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}
