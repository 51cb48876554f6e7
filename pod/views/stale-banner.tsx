import type { PodFailure } from '../app/pod-state.ts';
import { formatDateTime } from './format.ts';

interface StaleBannerProps {
  failure: PodFailure;
  fetchedAt: string;
  onRetry: () => void;
}

/** Degraded mode: the last good view of this ticket stays, clearly marked. */
export function StaleBanner({ failure, fetchedAt, onRetry }: StaleBannerProps) {
  const reason =
    failure.code === 'rate_limited'
      ? `ConnectWise asked the pod to slow down${failure.retryAfter !== undefined ? ` (wait ${failure.retryAfter} s)` : ''}`
      : 'ConnectWise did not answer';
  return (
    <div class="stale-banner" role="status" data-testid="stale-banner">
      <span>
        May be out of date: {reason}. Shown as of {formatDateTime(fetchedAt)}.
      </span>
      <button type="button" class="link-button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
