import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { FieldList } from './field-list.tsx';
import { telHref, websiteHref } from './format.ts';

export function CompanyCard({ section }: { section: TicketContext['company'] }) {
  if (!section.ok) return <Card id="company" title="Company" error={section.error} />;
  const company = section.data;
  if (!company) {
    return (
      <Card id="company" title="Company">
        <p class="empty">This ticket has no company.</p>
      </Card>
    );
  }
  const address = company.address;
  const addressLines = address
    ? [address.line1, address.line2, [address.city, address.state, address.zip].filter(Boolean).join(' '), address.country].filter(
        (line): line is string => Boolean(line),
      )
    : [];
  const website = company.website ? websiteHref(company.website) : null;
  return (
    <Card id="company" title="Company">
      <p class="card-lead">
        <strong>{company.name ?? `Company ${company.id}`}</strong>
        {company.identifier && <span class="muted"> · {company.identifier}</span>}
        {company.deleted && <span class="badge badge-warn"> deleted</span>}
      </p>
      <FieldList
        fields={[
          ['Status', company.status],
          ['Types', company.types.join(', ')],
          ['Phone', company.phone && <a href={telHref(company.phone)}>{company.phone}</a>],
          [
            'Website',
            company.website &&
              (website ? (
                <a href={website} target="_blank" rel="noopener noreferrer">
                  {company.website}
                </a>
              ) : (
                company.website
              )),
          ],
          ['Address', addressLines.length > 0 && <address>{addressLines.map((line) => <span class="line">{line}</span>)}</address>],
          ['Territory', company.territory],
        ]}
      />
    </Card>
  );
}
