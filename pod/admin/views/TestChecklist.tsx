import type { ConnectionTestResult } from '../../../shared/admin-api.ts';
import { stepWords } from '../../../shared/connection-test-steps.ts';

const icon = { ok: '✓', failed: '✗', warning: '!', skipped: '–' } as const;
const label = (id: keyof typeof stepWords) => stepWords[id].label;

/** The connection test as a checklist: ✓/✗ per step, with the fix beside each failure. */
export function TestChecklist({ result }: { result: ConnectionTestResult }) {
  return (
    <section aria-labelledby="checklist-heading" class="checklist" data-testid="test-checklist">
      <h3 id="checklist-heading">
        Connection test: {result.ok ? 'passed' : 'needs attention'}{' '}
        <span class="muted">({new Date(result.ranAt).toLocaleString()})</span>
      </h3>
      {result.server && (
        <p class="muted">
          {[
            `ConnectWise${result.server.version ? ` ${result.server.version}` : ''}`,
            // Say cloud or on-premise only when ConnectWise said which.
            result.server.isCloud === true ? `cloud${result.server.region ? ` (${result.server.region})` : ''}` : result.server.isCloud === false ? 'on-premise' : '',
          ]
            .filter((part) => part !== '')
            .join(' ')}
          {result.server.codebase ? `, codebase ${result.server.codebase}` : ''}
        </p>
      )}
      <ol>
        {result.steps.map((step) => (
          <li key={step.id} class={`step ${step.status}`} data-testid={`step-${step.id}`} data-status={step.status}>
            <span class="icon" aria-hidden="true">
              {icon[step.status]}
            </span>
            <div>
              <strong>{label(step.id)}</strong> <span class="visually-hidden">({step.status})</span>
              <p>{step.message}</p>
              {step.fix !== '' && step.status !== 'ok' && (
                <p class="fix">
                  <strong>Fix:</strong> {step.fix}
                </p>
              )}
              {step.missing && step.missing.length > 0 && (
                <ul class="missing">
                  {step.missing.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
