import { StateMessage } from './state-message.tsx';

/** The server did not give this page usable settings: nothing can start, so say why. */
export function ConfigMissing({ reason }: { reason: string }) {
  return (
    <div class="pod">
      <div class="pod-scroll">
        <StateMessage title="Pod settings missing" tone="error">
          <p>
            This pod page could not start: {reason}. Check that the pod URL in Manage Hosted API is the one the admin console
            gives, or ask your admin.
          </p>
        </StateMessage>
      </div>
    </div>
  );
}
