import type { PodFailure } from '../app/pod-state.ts';
import { failureText } from './failure-text.ts';
import { StateMessage } from './state-message.tsx';

interface FailureScreenProps {
  failure: PodFailure;
  ticketId: number | null;
  onRetry: () => void;
}

export function FailureScreen({ failure, ticketId, onRetry }: FailureScreenProps) {
  const text = failureText(failure, ticketId);
  return (
    <StateMessage title={text.title} tone="error">
      <p data-testid="pod-state-body">{text.body}</p>
      {text.bodyIsDetail ? (
        <p class="muted">Nothing to do on your side: ask your pod admin to run the connection test in the pod admin console.</p>
      ) : (
        failure.detail && <p class="muted detail">Details: {failure.detail}</p>
      )}
      {failure.requestId && <p class="muted detail">Request id: {failure.requestId}</p>}
      {text.retry && (
        <button type="button" class="button" data-testid="retry-button" onClick={onRetry}>
          Retry
        </button>
      )}
    </StateMessage>
  );
}
