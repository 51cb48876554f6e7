import type { PodController } from '../app/pod-controller.ts';
import type { PodHost } from '../app/pod-host.ts';
import type { PodState } from '../app/pod-state.ts';
import type { LinkTemplate } from '../../shared/pod-display.ts';
import { ConnectingScreen } from './connecting-screen.tsx';
import { DebugPanel } from './debug-panel.tsx';
import { FailureScreen } from './failure-screen.tsx';
import { Skeleton } from './skeleton.tsx';
import { StateMessage } from './state-message.tsx';
import { LazyTicketView } from './lazy-ticket-view.tsx';

interface PodAppProps {
  state: PodState;
  controller: Pick<PodController, 'retry' | 'refresh' | 'openTicket' | 'loadAgreements'>;
  host: Pick<PodHost, 'status' | 'frameId' | 'acceptedOrigin' | 'stats'>;
  /** The tenant's configuration link templates (issue 12); none by default. */
  linkTemplates?: readonly LinkTemplate[];
}

/** The root: picks the one screen the state calls for; the debug panel is always at hand. */
export function PodApp({ state, controller, host, linkTemplates = [] }: PodAppProps) {
  const screen = state.screen.value;
  const ticket = state.ticket.value;
  const failure = state.failure.value;
  return (
    <div class="pod">
      {screen === 'ticket' && ticket ? (
        <LazyTicketView
          ticket={ticket}
          context={state.context.value?.ticket.id === ticket.id ? state.context.value : null}
          stale={state.stale.value}
          refreshing={state.refreshing.value}
          agreements={state.agreements.value}
          onRefresh={controller.refresh}
          onRetry={controller.retry}
          onOpenTicket={controller.openTicket}
          onLoadAgreements={controller.loadAgreements}
          linkTemplates={linkTemplates}
        />
      ) : (
        <div class="pod-scroll">
          {screen === 'failure' && failure ? (
            <FailureScreen failure={failure} ticketId={state.ticketId.value} onRetry={controller.retry} />
          ) : screen === 'other_screen' ? (
            <StateMessage title="Not a ticket screen">
              <p>
                This pod shows service tickets. ConnectWise opened it on the “{state.otherScreen.value}” screen, where it has
                nothing to show.
              </p>
            </StateMessage>
          ) : (
            <>
              <ConnectingScreen step={state.step.value} />
              <Skeleton ticketId={state.ticketId.value} />
            </>
          )}
        </div>
      )}
      <DebugPanel host={host} state={state} />
    </div>
  );
}
