import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { CopyButton } from './copy-button.tsx';
import { countryCodeOf } from './phone-format.ts';
import { PhoneLink } from './phone-link.tsx';

interface ContactCardProps {
  section: TicketContext['contact'];
  /** The company's country as ConnectWise names it; phone numbers are formatted for it. */
  country?: string | undefined;
}

export function ContactCard({ section, country }: ContactCardProps) {
  if (!section.ok) return <Card id="contact" title="Contact" error={section.error} />;
  const contact = section.data;
  if (!contact) {
    return (
      <Card id="contact" title="Contact">
        <p class="empty">This ticket has no contact.</p>
      </Card>
    );
  }
  const code = countryCodeOf(country);
  return (
    <Card id="contact" title="Contact">
      <p class="card-lead">
        <strong>{contact.name}</strong>
        {contact.vip && (
          <span class="badge badge-vip" data-testid="contact-vip">
            VIP
          </span>
        )}
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
              <span class="channel-value">
                <PhoneLink value={phone.value} extension={phone.extension} country={code} />
                {phone.isDefault && <span class="badge">default</span>}
              </span>
            </li>
          ))}
          {contact.emails.map((email) => (
            <li key={`e-${email.value}`}>
              <span class="channel-label">{email.label ?? 'Email'}</span>
              <span class="channel-value">
                <span class="copyable">
                  <a href={`mailto:${email.value}`}>{email.value}</a>
                  <CopyButton text={email.value} what="e-mail address" />
                </span>
                {email.isDefault && <span class="badge">default</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
