import { useEffect, useRef, useState } from 'preact/hooks';
import { cloudRegions, normaliseSite } from '../../../shared/connectwise-sites.ts';
import type { ConnectionTestResult, SectionAccess, TenantInput, TenantView } from '../../../shared/admin-api.ts';
import { stepWords } from '../../../shared/connection-test-steps.ts';
import { adminApi, AdminApiError } from '../api.ts';
import { ON_PREMISE, onPremiseExample, regionForSite, siteForRegion, siteHint, siteSuggestion } from '../site-entry.ts';
import { editing, refreshTenants, replaceTenant, signInState, tenants } from '../state.ts';
import { BoardsPicker } from './BoardsPicker.tsx';
import { PodDisplayFields } from './PodDisplayFields.tsx';
import { defaultPodDisplay, type PodDisplay } from '../../../shared/pod-display.ts';
import { HostedApiPanel } from './HostedApiPanel.tsx';
import { PermissionTable } from './PermissionTable.tsx';
import { TestChecklist } from './TestChecklist.tsx';

type Form = {
  companyId: string;
  region: string;
  site: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  apiMemberId: string;
  nilearOrigin: string;
};

function formFor(t: TenantView | undefined): Form {
  return {
    companyId: t?.companyId ?? '',
    region: t ? (t.site.region ?? ON_PREMISE) : 'na',
    site: t?.siteInput ?? `https://${cloudRegions[0].uiHost}`,
    publicKey: '',
    privateKey: '',
    clientId: t?.clientId ?? '',
    apiMemberId: t?.apiMemberId ?? '',
    nilearOrigin: t?.nilearOrigin ?? '',
  };
}

/**
 * Set up or change one company: save runs the connection test at once, and the checklist
 * shows each failure with its fix. Keys are write-only: the form never holds stored ones.
 * The server tests changed connection settings before storing them; when they fail, nothing
 * is stored and "Save anyway" (naming the failed step) stores them regardless.
 */
export function TenantEditor({ companyId }: { companyId: string }) {
  const existing = tenants.value.find((t) => t.companyId.toLowerCase() === companyId.toLowerCase());
  const [form, setForm] = useState<Form>(() => formFor(existing));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState<'saving' | 'testing' | null>(null);
  const [test, setTest] = useState<ConnectionTestResult | null>(existing?.lastTest ?? null);
  const [boardIds, setBoardIds] = useState<number[]>(existing?.boardIds ?? []);
  const [sectionAccess, setSectionAccess] = useState<SectionAccess>(existing?.sectionAccess ?? 'technician');
  /** The step (in words) the new settings failed, when the server refused to store them. */
  const [refusedAt, setRefusedAt] = useState<string | null>(null);
  const [podDisplay, setPodDisplay] = useState<PodDisplay>(existing?.podDisplay ?? defaultPodDisplay); // issue 12
  const isNew = existing === undefined;

  // Set when this editor's own save renamed `editing` from '' to the new id: that is not a
  // switch to another company, and resetting then would drop the test result just shown.
  const savedAs = useRef<string | null>(null);
  useEffect(() => {
    if (savedAs.current === companyId) {
      savedAs.current = null;
      return;
    }
    setForm(formFor(existing));
    setTest(existing?.lastTest ?? null);
    setBoardIds(existing?.boardIds ?? []);
    setSectionAccess(existing?.sectionAccess ?? 'technician');
    setRefusedAt(null);
    setPodDisplay(existing?.podDisplay ?? defaultPodDisplay);
    // Only when switching companies, not on every refresh of the same one.
  }, [companyId]);

  const set = (key: keyof Form) => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
  // The region follows a typed or pasted site; the site follows a picked region.
  const typeSite = (e: Event) => {
    const site = (e.target as HTMLInputElement).value;
    setForm({ ...form, site, region: regionForSite(site) ?? form.region });
  };
  const pickRegion = (e: Event) => {
    const region = (e.target as HTMLSelectElement).value;
    setForm({ ...form, region, site: siteForRegion(region, form.site) });
    if (region === ON_PREMISE) queueMicrotask(() => document.getElementById('site')?.focus());
  };
  const useSuggestion = (site: string) => setForm({ ...form, site, region: regionForSite(site) ?? form.region });
  const preview = normaliseSite(form.site);
  const suggestion = siteSuggestion(form.site);
  // Keys belong to the site they were entered for: a new site needs both again.
  const siteChanged =
    existing !== undefined && preview.ok && (preview.site.uiOrigin !== existing.site.uiOrigin || preview.site.apiOrigin !== existing.site.apiOrigin);
  const keysForNewSite = 'Required: the site changed, so enter both keys for the new site (stored keys stay with their site).';

  const input = (): TenantInput => ({
    site: form.site.trim(),
    ...(form.publicKey.trim() !== '' ? { publicKey: form.publicKey.trim() } : {}),
    ...(form.privateKey.trim() !== '' ? { privateKey: form.privateKey.trim() } : {}),
    clientId: form.clientId.trim() === '' ? null : form.clientId.trim(),
    apiMemberId: form.apiMemberId.trim() === '' ? null : form.apiMemberId.trim(),
    nilearOrigin: form.nilearOrigin.trim() === '' ? null : form.nilearOrigin.trim(),
    boardIds,
    sectionAccess,
    podDisplay,
    ...(existing ? { version: existing.version } : {}),
  });

  const save = async (e: Event) => {
    e.preventDefault();
    await store(false);
  };

  const store = async (force: boolean) => {
    setErrors({});
    setMessage(null);
    setRefusedAt(null);
    const id = form.companyId.trim();
    if (id === '') {
      setErrors({ companyId: 'Enter the company ID you sign in to ConnectWise with.' });
      return;
    }
    if (isNew && tenants.value.some((t) => t.companyId.toLowerCase() === id.toLowerCase())) {
      setErrors({ companyId: `"${id}" is already set up: edit it from the list instead.` });
      return;
    }
    if (siteChanged) {
      const missing = (['publicKey', 'privateKey'] as const).filter((k) => form[k].trim() === '');
      if (missing.length > 0) {
        setErrors(Object.fromEntries(missing.map((k) => [k, keysForNewSite])));
        return;
      }
    }
    setBusy('saving');
    try {
      const saved = await adminApi.saveTenant(id, input(), { force });
      replaceTenant(saved);
      setForm({ ...formFor(saved) });
      if (isNew) {
        savedAs.current = saved.companyId;
        editing.value = saved.companyId;
      }
      setBusy('testing');
      const result = await adminApi.testTenant(saved.companyId);
      setTest(result);
      await refreshTenants();
      setMessage(
        result.ok
          ? { kind: 'info', text: 'Saved, and the connection test passed.' }
          : { kind: 'error', text: 'Saved, but the connection test found problems: see the fixes below.' },
      );
    } catch (err) {
      if (err instanceof AdminApiError && err.status === 401) {
        signInState.value = 'signed-out';
      } else if (err instanceof AdminApiError && err.code === 'connection_test_failed' && err.test !== null) {
        const failed = err.test.steps.find((st) => st.status === 'failed');
        const step = failed ? stepWords[failed.id].label : 'the connection test';
        setTest(err.test);
        setRefusedAt(step);
        setMessage({
          kind: 'error',
          text: `Not saved: the new settings failed the connection test at “${step}”. The pod keeps working with the saved settings. Fix the settings below and save again, or save anyway.`,
        });
      } else if (err instanceof AdminApiError && err.fields.length > 0) {
        setErrors(Object.fromEntries(err.fields.map((f) => [f.path, f.message])));
        setMessage({ kind: 'error', text: err.message });
      } else if (err instanceof AdminApiError && err.code === 'version_conflict') {
        setMessage({ kind: 'error', text: 'Someone else changed this company meanwhile. Reload it, then make your change again.' });
      } else {
        setMessage({ kind: 'error', text: err instanceof Error ? err.message : 'Saving failed.' });
      }
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (existing === undefined || !window.confirm(`Remove ${existing.companyId}? Its pod stops working at once.`)) return;
    try {
      await adminApi.deleteTenant(existing.companyId);
      editing.value = null;
      await refreshTenants();
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof Error ? err.message : 'Removing failed.' });
    }
  };

  const field = (key: keyof Form, label: string, props: Record<string, unknown> = {}, hint?: string, onInput = set(key)) => (
    <div class="field">
      <label for={key}>{label}</label>
      <input
        id={key}
        name={key}
        data-testid={`field-${key}`}
        value={form[key]}
        onInput={onInput}
        aria-invalid={errors[key] ? 'true' : undefined}
        aria-describedby={errors[key] ? `${key}-error` : hint ? `${key}-hint` : undefined}
        {...props}
      />
      {hint && !errors[key] && (
        <span id={`${key}-hint`} class="muted">
          {hint}
        </span>
      )}
      {errors[key] && (
        <span id={`${key}-error`} class="error">
          {errors[key]}
        </span>
      )}
    </div>
  );

  return (
    <section aria-labelledby="editor-heading" class="editor" data-testid="tenant-editor">
      <div class="row">
        <h2 id="editor-heading">{isNew ? 'Add a ConnectWise company' : `Company ${existing.companyId}`}</h2>
        <button type="button" class="link" onClick={() => (editing.value = null)}>
          Close
        </button>
      </div>
      <form onSubmit={save} noValidate>
        <div class="field">
          <label for="region">Region</label>
          <select id="region" data-testid="field-region" value={form.region} onChange={pickRegion}>
            {cloudRegions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label} ({r.uiHost})
              </option>
            ))}
            <option value={ON_PREMISE}>On-premise (your own server)</option>
          </select>
        </div>
        {field(
          'site',
          'ConnectWise site',
          { required: true, autocomplete: 'url', placeholder: form.region === ON_PREMISE ? onPremiseExample : '' },
          siteHint(form.region, form.site),
          typeSite,
        )}
        {suggestion && (
          <p class="warn" data-testid="site-suggestion">
            Did you mean{' '}
            <button type="button" class="link" onClick={() => useSuggestion(suggestion)}>
              {suggestion}
            </button>
            ? ConnectWise cloud sites end in .myconnectwise.net.
          </p>
        )}
        {field('companyId', 'Company ID', { required: true, readOnly: !isNew, autocomplete: 'off', spellcheck: false },
          'The company you type when you sign in to ConnectWise.')}
        {field('publicKey', 'API public key', { autocomplete: 'off', spellcheck: false, placeholder: existing && !siteChanged ? `stored (${existing.publicKey}) — leave empty to keep` : '' },
          siteChanged ? keysForNewSite : undefined)}
        {field('privateKey', 'API private key', { type: 'password', autocomplete: 'new-password', placeholder: existing && !siteChanged ? `stored (${existing.privateKey}) — leave empty to keep` : '' },
          siteChanged ? keysForNewSite : 'Write-only: it is stored encrypted and never shown again.')}
        {field('apiMemberId', 'API member ID', { autocomplete: 'off', spellcheck: false }, "The API member's identifier, exactly as in System › Members › API Members.")}
        {field('clientId', 'clientId (optional)', { autocomplete: 'off', spellcheck: false }, existing?.effectiveClientId ? `Leave empty to use the server's (${existing.effectiveClientId}).` : "Leave empty to use the server's CW_CLIENT_ID.")}
        {field('nilearOrigin', 'Nilear origin (optional)', { autocomplete: 'off', spellcheck: false, placeholder: 'https://mtx.example.com' }, 'Only if your technicians use Nilear MTX: its exact origin.')}
        <SectionAccessField value={sectionAccess} onChange={setSectionAccess} />
        {!isNew && test?.ok && <BoardsPicker companyId={existing.companyId} value={boardIds} onChange={setBoardIds} />}
        <PodDisplayFields value={podDisplay} onChange={setPodDisplay} errors={errors} />
        <div class="row">
          <button type="submit" disabled={busy !== null} data-testid="save-tenant">
            {busy === 'saving' ? 'Saving…' : busy === 'testing' ? 'Testing the connection…' : 'Save and test'}
          </button>
          {refusedAt !== null && (
            <button type="button" class="danger" disabled={busy !== null} onClick={() => void store(true)}
              data-testid="save-anyway"
              aria-describedby="editor-message"
              title={`Store the new settings although “${refusedAt}” failed`}
            >
              Save anyway
            </button>
          )}
          {!isNew && (
            <button type="button" class="danger" onClick={remove}>
              Remove
            </button>
          )}
        </div>
        {message && (
          <p class={message.kind === 'error' ? 'error' : 'good'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="editor-message" id="editor-message">
            {message.text}
          </p>
        )}
      </form>
      {test && <TestChecklist result={test} />}
      <PermissionTable />
      {existing && <HostedApiPanel tenant={existing} />}
    </section>
  );
}

/**
 * Whose ConnectWise rights decide the ticket view's optional sections (issue 10): the
 * technician's own role (least privilege, the default) or the API member's, for MSPs that
 * want every technician who can open a ticket to see the same sections.
 */
function SectionAccessField({ value, onChange }: { value: SectionAccess; onChange: (v: SectionAccess) => void }) {
  return (
    <div class="field">
      <label for="sectionAccess">Sections technicians see</label>
      <select
        id="sectionAccess"
        aria-describedby="sectionAccess-hint"
        data-testid="field-sectionAccess"
        value={value}
        onChange={(e) => onChange((e.target as HTMLSelectElement).value === 'apiMember' ? 'apiMember' : 'technician')}
      >
        <option value="technician">What each technician's own ConnectWise role allows (recommended)</option>
        <option value="apiMember">Everything the API member can read, for every technician</option>
      </select>
      <span id="sectionAccess-hint" class="muted" data-testid="sectionAccess-hint">
        {value === 'technician'
          ? 'Notes, time, contact, configurations and agreements show only when the technician’s own security role grants them; otherwise the card says which right is missing. Time at level “My” shows only their own entries.'
          : 'Every technician who can open a ticket sees its notes, time, contact, configurations and agreements as the API member reads them, even where their own role hides them in ConnectWise. Choose this knowingly.'}{' '}
        Other open tickets always show only boards the technician can see.
      </span>
    </div>
  );
}
