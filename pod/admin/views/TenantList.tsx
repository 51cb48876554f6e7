import type { TenantView } from '../../../shared/admin-api.ts';
import { editing, tenants } from '../state.ts';

function testSummary(t: TenantView): { text: string; cls: string } {
  if (t.lastTest === null) return { text: 'Not tested', cls: 'muted' };
  const failed = t.lastTest.steps.filter((s) => s.status === 'failed').length;
  const warnings = t.lastTest.steps.filter((s) => s.status === 'warning').length;
  if (failed > 0) return { text: `✗ ${failed} failed`, cls: 'bad' };
  if (warnings > 0) return { text: `✓ passed, ${warnings} warning${warnings > 1 ? 's' : ''}`, cls: 'warn' };
  return { text: '✓ passed', cls: 'good' };
}

/** Every configured company with its last connection test, newest state first. */
export function TenantList() {
  return (
    <section aria-labelledby="tenants-heading" class="tenant-list">
      <div class="row">
        <h2 id="tenants-heading">Companies</h2>
        <button type="button" data-testid="add-tenant" onClick={() => (editing.value = '')}>
          Add company
        </button>
      </div>
      {tenants.value.length === 0 ? (
        <p class="muted">No company is set up yet. Add your ConnectWise company to start.</p>
      ) : (
        <table data-testid="tenant-table">
          <thead>
            <tr>
              <th scope="col">Company ID</th>
              <th scope="col">ConnectWise site</th>
              <th scope="col">Last test</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tenants.value.map((t) => {
              const s = testSummary(t);
              return (
                <tr key={t.companyId} data-testid={`tenant-row-${t.companyId}`}>
                  <td>{t.companyId}</td>
                  <td>{t.site.uiOrigin}</td>
                  <td class={s.cls}>
                    {s.text}
                    {t.lastTest && <span class="muted"> · {new Date(t.lastTest.ranAt).toLocaleString()}</span>}
                  </td>
                  <td>
                    <button type="button" class="link" onClick={() => (editing.value = t.companyId)} aria-label={`Edit ${t.companyId}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
