import type { ComponentChildren } from 'preact';
import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { FieldList } from './field-list.tsx';
import { websiteHref } from './format.ts';
import { countryCodeOf } from './phone-format.ts';
import { PhoneLink } from './phone-link.tsx';

/**
 * Who the client is, at a glance: name, status (marked when inactive or not approved) and
 * phone. Address, territory, types and website fold away under "Details".
 */
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
  const flags = company.statusFlags;
  const statusWarn = flags !== undefined && (flags.inactive || flags.notApproved || flags.notify);
  const details: [string, ComponentChildren][] = [
    ['Types', company.types.join(', ')],
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
  ];
  const hasDetails = details.some(([, v]) => v !== undefined && v !== '' && v !== false);
  return (
    <Card id="company" title="Company">
      <p class="card-lead">
        <strong>{company.name ?? `Company ${company.id}`}</strong>
        {company.identifier && <span class="muted"> · {company.identifier}</span>}
        {company.deleted && <span class="badge badge-warn"> deleted</span>}
      </p>
      <FieldList
        fields={[
          ['Status', company.status && (statusWarn ? <span class="badge badge-alert">{company.status}</span> : company.status)],
          ['Phone', company.phone && <PhoneLink value={company.phone} country={countryCodeOf(address?.country)} />],
        ]}
      />
      {hasDetails && (
        <details class="fold" data-testid="company-details">
          <summary>Details</summary>
          <FieldList fields={details} />
        </details>
      )}
    </Card>
  );
}
