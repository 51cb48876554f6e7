import { signal } from '@preact/signals';
import type { ComponentProps } from 'preact';
import type { TicketView as TicketViewComponent } from './ticket-view.tsx';
import { Skeleton } from './skeleton.tsx';
import { StateMessage } from './state-message.tsx';

/**
 * The ticket view (header and cards) is a separate chunk, fetched while the handshake runs:
 * the first paint inside ConnectWise's already heavy page needs only the connecting screen,
 * which keeps the initial bundle inside the 30 KB budget.
 */
const view = signal<typeof TicketViewComponent | null>(null);
const failed = signal(false);
let loading: Promise<void> | null = null;

export function preloadTicketView(): Promise<void> {
  loading ??= import('./ticket-view.tsx').then(
    (module) => {
      view.value = module.TicketView;
    },
    () => {
      failed.value = true;
    },
  );
  return loading;
}

export function LazyTicketView(props: ComponentProps<typeof TicketViewComponent>) {
  const View = view.value;
  if (View) return <View {...props} />;
  if (failed.value) {
    return (
      <div class="pod-scroll">
        <StateMessage title="Pod files missing" tone="error">
          <p>Part of the pod could not be downloaded, probably because it was just updated. Reload the ticket.</p>
        </StateMessage>
      </div>
    );
  }
  void preloadTicketView();
  return (
    <div class="pod-scroll">
      <Skeleton ticketId={props.ticket.id} blocks={4} />
    </div>
  );
}
