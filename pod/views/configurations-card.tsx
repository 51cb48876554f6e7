import type { TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { CopyButton } from './copy-button.tsx';

export function ConfigurationsCard({ section }: { section: TicketContext['configurations'] }) {
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
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
