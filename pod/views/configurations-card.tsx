import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import type { Configuration } from '../../shared/ticket-context.ts';
import { expandLinkTemplate, type LinkTemplate } from '../../shared/pod-display.ts';
import { CopyButton } from './copy-button.tsx';

interface ConfigurationsCardProps {
  section: TicketContext['configurations'];
  /** The tenant's link templates (RMM, remote access…); a link shows when every placeholder has a value. */
  linkTemplates?: readonly LinkTemplate[];
}

function DeviceLinks({ item, templates }: { item: Configuration; templates: readonly LinkTemplate[] }) {
  const links = templates.flatMap((t) => {
    const href = expandLinkTemplate(t.url, {
      id: item.id,
      name: item.name,
      deviceIdentifier: item.deviceIdentifier ?? item.name,
      serialNumber: item.serialNumber,
      tagNumber: item.tagNumber,
      modelNumber: item.modelNumber,
      ipAddress: item.ipAddress,
    });
    return href === null ? [] : [{ label: t.label, href }];
  });
  if (links.length === 0) return null;
  return (
    <span class="row-sub device-links">
      {links.map((link) => (
        <a key={link.label} href={link.href} target="_blank" rel="noopener noreferrer" data-testid="device-link">
          {link.label}
          <span class="visually-hidden"> for {item.name ?? `configuration ${item.id}`} (opens in a new tab)</span>
        </a>
      ))}
    </span>
  );
}

export function ConfigurationsCard({ section, linkTemplates = [] }: ConfigurationsCardProps) {
  if (!section.ok) return <Card id="configurations" title="Configurations" error={section.error} />;
  const items = section.data;
  return (
    <Card id="configurations" title="Configurations" aside={items.length > 0 ? items.length : undefined}>
      {items.length === 0 ? (
        <p class="empty">No configurations attached.</p>
      ) : (
        <ul class="plain-list rows">
          {items.map((item) => (
            <li key={item.id} class="row">
              <span class="row-main">
                <strong>{item.name ?? `Configuration ${item.id}`}</strong>
                {item.type && <span class="muted"> · {item.type}</span>}
                {item.status && <span class="badge">{item.status}</span>}
              </span>
              {(item.serialNumber || item.modelNumber) && (
                <span class="row-sub muted">
                  {item.serialNumber && (
                    <span class="copyable">
                      S/N {item.serialNumber}
                      <CopyButton text={item.serialNumber} what="serial number" />
                    </span>
                  )}
                  {item.serialNumber && item.modelNumber && ' · '}
                  {item.modelNumber && <>Model {item.modelNumber}</>}
                </span>
              )}
              <DeviceLinks item={item} templates={linkTemplates} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
