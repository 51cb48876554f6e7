import { useState } from 'preact/hooks';
import type { RegisterPodResult, TenantView } from '../../../shared/admin-api.ts';
import { podPermissions } from '../../../shared/pod-permissions.ts';
import { publicUrlWarning } from '../../../shared/public-url.ts';
import { adminApi } from '../api.ts';
import { CopyField } from './CopyField.tsx';

/**
 * What an admin pastes into System › Setup Tables › Manage Hosted API — or lets us register
 * through the API — and the step every technician still does for themselves.
 */
/** The right "Register in ConnectWise" needs, from the same data file the connection test reads. */
const registerRight = podPermissions.find((p) => p.usedBy === 'register_pod' && p.needs.add !== undefined);

/** True when the last connection test found the role unable to add Manage Hosted API rows. */
export function roleCannotRegister(tenant: TenantView): boolean {
  const missing = tenant.lastTest?.steps.find((s) => s.id === 'permissions')?.missing ?? [];
  return registerRight !== undefined && missing.includes(registerRight.uiPath);
}

export function HostedApiPanel({ tenant }: { tenant: TenantView }) {
  const [nilear, setNilear] = useState(false);
  const [result, setResult] = useState<RegisterPodResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const v = tenant.hostedApi;
  const url = nilear ? v.nilearUrl : v.url;

  const register = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await adminApi.registerPod(tenant.companyId));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Registration failed.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="hosted-heading" class="hosted" data-testid="hosted-api-panel">
      <h3 id="hosted-heading">Register the pod in ConnectWise</h3>
      <p>
        In ConnectWise: <em>System › Setup Tables</em>, search for <em>Manage Hosted API</em>, add a row with these values. Or let
        the pod server do it for you.
      </p>
      <label class="inline">
        <input type="checkbox" checked={nilear} onChange={(e) => setNilear((e.target as HTMLInputElement).checked)} data-testid="nilear-toggle" />{' '}
        Nilear MTX front end (adds <code>nilear=true</code>; needs the Nilear origin above)
      </label>
      {publicUrlWarning(v.origin) !== null && (
        <p class="error" role="alert" data-testid="public-url-warning">
          {publicUrlWarning(v.origin)}
        </p>
      )}
      <CopyField label="Pod URL" value={url} testId="pod-url" />
      <CopyField label="Description" value={v.description} testId="hosted-description" />
      <CopyField label="Screen" value={v.screen} testId="hosted-screen" />
      <CopyField label="Origin" value={v.origin} testId="hosted-origin" />
      <CopyField label="Pod height" value={String(v.podHeight)} testId="hosted-height" />
      <p class="muted">Type: Pod. Leave Location Restrictions empty unless only some locations should see it.</p>
      <button type="button" onClick={register} disabled={busy || roleCannotRegister(tenant)} data-testid="register-pod">
        {busy ? 'Registering…' : 'Register in ConnectWise'}
      </button>
      {roleCannotRegister(tenant) && (
        <p class="muted" data-testid="register-unavailable">
          The API member's role cannot add Manage Hosted API entries ({registerRight?.uiPath}). Give it that right and run the test
          again, or add the row by hand with the values above.
        </p>
      )}
      {result && (
        <p class="good" role="status" data-testid="register-result">
          {result.action === 'created' ? 'Registered' : result.action === 'updated' ? 'Updated the existing entry' : 'Already registered, nothing changed'}{' '}
          (setup #{result.setupId}, screen #{result.screenId}).
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <h4>Then, each technician</h4>
      <ol>
        <li>Opens any service ticket in the ConnectWise web client (pods do not show in the desktop client).</li>
        <li>Clicks the pod layout's <em>+</em>, moves "{v.description}" from Not Displayed to Displayed, and saves.</li>
      </ol>
      <p class="muted">
        To do this once for everyone: set the layout on one member, then use <em>System › Members › Member Templates › Copy Pod
        Layouts</em> to copy it to the others.
      </p>
    </section>
  );
}
