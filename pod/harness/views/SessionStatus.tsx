import type { HarnessController } from '../host/harness-controller.ts';
import type { BeforeSaveOutcome, HostRequest } from '../host/host-session.ts';

function describeBeforeSave(outcome: BeforeSaveOutcome | null): string {
  if (outcome === null) return 'not sent yet';
  switch (outcome.status) {
    case 'pending':
      return 'waiting for the pod… (ConnectWise cannot save until it answers)';
    case 'success':
      return 'success: the save goes ahead';
    case 'failure':
      return `failure: the save is blocked — ${outcome.errors.length === 0 ? '(no reason given)' : outcome.errors.join('; ')}${outcome.forgiven === undefined ? '' : ` [accepted in tolerant mode: ${outcome.forgiven}]`}`;
    case 'no_answer':
      return `no answer after ${outcome.afterMs} ms: ConnectWise could not save`;
    case 'not_sent':
      return `not sent: ${outcome.reason}`;
  }
}

function describeRequest(r: HostRequest): string {
  switch (r.kind) {
    case 'openScreen':
      return `openScreen ${r.screen} ${r.id === null ? '(empty id)' : `#${r.id}`}${r.newTab ? ' (new tab)' : ''}`;
    case 'refreshScreen':
      return 'refreshScreen';
    case 'setDirty':
      return `setDirty ${String(r.dirty)}`;
  }
}

/** Where the handshake is, what the pod last asked for, and its answer to beforeSave. */
export function SessionStatus({ controller }: { controller: HarnessController }) {
  const { session } = controller;
  const outcome = session.beforeSave.value;
  const requests = session.hostRequests.value;
  return (
    <section class="hx-panel" aria-label="Hosted API session">
      <h2>Hosted API session</h2>
      <dl class="hx-status">
        <dt>MessageFrameID</dt>
        <dd data-testid="frame-id">{session.frameId.value ?? 'waiting for "ready"'}</dd>
        <dt>Auth answered</dt>
        <dd data-testid="auth-count">{session.authAnswered.value}</dd>
        <dt>Dirty</dt>
        <dd>{session.dirty.value === null ? 'not reported' : String(session.dirty.value)}</dd>
        <dt>beforeSave</dt>
        <dd
          data-testid="before-save-result"
          class={outcome?.status === 'failure' || outcome?.status === 'no_answer' ? 'hx-bad' : outcome?.status === 'success' ? 'hx-good' : ''}
        >
          {describeBeforeSave(outcome)}
        </dd>
      </dl>
      <h3>Pod requests</h3>
      {requests.length === 0 ? (
        <p class="hx-muted">No openScreen, refreshScreen or setDirty yet.</p>
      ) : (
        <ol class="hx-requests" data-testid="host-requests">
          {requests.slice(-8).map((r, i) => (
            <li key={`${r.atMs}-${i}`}>
              <span class="hx-time">{r.atMs} ms</span> {describeRequest(r)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
