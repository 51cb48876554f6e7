import { StateMessage } from './state-message.tsx';

/** Opened directly in a tab: explain what this page is instead of waiting for a host that will never answer. */
export function OutsideFrame({ harnessUrl }: { harnessUrl?: string | undefined }) {
  return (
    <div class="pod">
      <div class="pod-scroll">
        <StateMessage title="Opened outside ConnectWise">
          <p>
            This is a ConnectWise PSA pod. It is meant to open inside a service ticket, where ConnectWise tells it which
            ticket to show and who you are.
          </p>
          <p>Open a service ticket in ConnectWise to see it; if it is missing there, ask your admin to add the pod.</p>
          {harnessUrl && (
            <p>
              Demo mode: <a href={harnessUrl}>open the developer harness</a>, which plays ConnectWise around this pod.
            </p>
          )}
        </StateMessage>
      </div>
    </div>
  );
}
