import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { telHref } from './format.ts';

export function ContactCard({ section }: { section: TicketContext['contact'] }) {
  if (!section.ok) return <Card id="contact" title="Contact" error={section.error} />;
  const contact = section.data;
  if (!contact) {
    return (
      <Card id="contact" title="Contact">
        <p class="empty">This ticket has no contact.</p>
      </Card>
    );
  }
  return (
    <Card id="contact" title="Contact">
      <p class="card-lead">
        <strong>{contact.name}</strong>
        {contact.title && <span class="muted"> · {contact.title}</span>}
        {contact.inactive && <span class="badge badge-warn">Inactive</span>}
      </p>
      {contact.phones.length + contact.emails.length === 0 ? (
        <p class="empty">No phone or email on file.</p>
      ) : (
        <ul class="plain-list channels">
          {contact.phones.map((phone) => (
            <li key={`p-${phone.value}-${phone.extension ?? ''}`}>
              <span class="channel-label">{phone.label ?? 'Phone'}</span>
              <a href={telHref(phone.value, phone.extension)}>
                {phone.value}
                {phone.extension ? ` x${phone.extension}` : ''}
              </a>
              {phone.isDefault && <span class="muted"> (default)</span>}
            </li>
          ))}
          {contact.emails.map((email) => (
            <li key={`e-${email.value}`}>
              <span class="channel-label">{email.label ?? 'Email'}</span>
              <a href={`mailto:${email.value}`}>{email.value}</a>
              {email.isDefault && <span class="muted"> (default)</span>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
