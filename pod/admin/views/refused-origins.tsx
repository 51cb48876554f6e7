import { useEffect, useState } from 'preact/hooks';
import { MAX_EXTRA_ORIGINS, type TenantView } from '../../../shared/admin-api.ts';
import { normaliseOrigin } from '../../../shared/origins.ts';
import { adminApi, AdminApiError } from '../api.ts';
import { replaceTenant, signInState } from '../state.ts';

/** How often the list is read again while the panel is open. */
export const REFUSED_POLL_MS = 15_000;

/**
 * Issue 11, never a blank pod: the addresses that framed this company's pod but are not its
 * ConnectWise (each was shown "the pod is not allowed at this address"), and the extra
 * addresses allowed so far. Anyone can frame the pod from anywhere, so the list is only a hint
 * and the panel says to allow only an address the MSP knows as its own ConnectWise.
 */
export function RefusedOrigins({ companyId }: { companyId: string }) {
  const [view, setView] = useState<TenantView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [typed, setTyped] = useState('');

  const load = async () => {
    try {
      setView(await adminApi.getTenant(companyId));
    } catch (err) {
      if (err instanceof AdminApiError && err.status === 401) signInState.value = 'signed-out';
      else setError(err instanceof Error ? err.message : 'Could not read the refused addresses.');
    }
  };

  useEffect(() => {
    setView(null);
    void load();
    const timer = setInterval(() => void load(), REFUSED_POLL_MS);
    return () => clearInterval(timer);
  }, [companyId]);

  if (view === null) return error ? <p class="error" role="alert">{error}</p> : null;

  const save = async (extraOrigins: string[], what: string) => {
    setBusy(what);
    setError(null);
    try {
      // Only the extra origins change: a settings change that runs no connection test.
      const saved = await adminApi.saveTenant(view.companyId, { site: view.siteInput, extraOrigins, version: view.version });
      replaceTenant(saved);
      await load();
      setTyped('');
    } catch (err) {
      if (err instanceof AdminApiError && err.status === 401) signInState.value = 'signed-out';
      else if (err instanceof AdminApiError && err.code === 'version_conflict') {
        setError('Someone else changed this company meanwhile; the list is reloaded. Try again.');
        await load();
      } else setError(err instanceof Error ? err.message : 'Saving failed.');
    } finally {
      setBusy(null);
    }
  };

  const full = view.extraOrigins.length >= MAX_EXTRA_ORIGINS;
  const allow = (origin: string) => void save([...view.extraOrigins, origin], origin);
  const remove = (origin: string) => void save(view.extraOrigins.filter((o) => o !== origin), origin);
  const typedOrigin = normaliseOrigin(typed.trim());
  const addTyped = (e: Event) => {
    e.preventDefault();
    if (typedOrigin === null) {
      setError('Enter an exact address such as https://cw.example.com (scheme, host and optional port).');
      return;
    }
    if (!view.extraOrigins.includes(typedOrigin)) allow(typedOrigin);
  };

  return (
    <section aria-labelledby="refused-heading" class="refused-origins" data-testid="refused-origins">
      <h3 id="refused-heading">Refused addresses</h3>
      <p>
        The pod shows only inside {view.site.uiOrigin}
        {view.nilearOrigin ? ` (and ${view.nilearOrigin} in Nilear)` : ''}. A technician who opens ConnectWise at another address
        sees "The pod is not allowed at this address", and the address is listed here.
      </p>
      <p class="warn" data-testid="refused-warning">
        Anyone can put the pod in a page of their own, so an address here is only a hint. Allow only an address you recognise as
        your own ConnectWise, such as a second name of your ConnectWise server.
      </p>
      {view.refusedOrigins.length === 0 ? (
        <p class="muted" data-testid="no-refused">No address has been refused lately.</p>
      ) : (
        <table data-testid="refused-table">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
              <th scope="col">Times</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.refusedOrigins.map((r) => (
              <tr key={r.origin} data-testid={`refused-${r.origin}`}>
                <td>
                  <code>{r.origin}</code>
                </td>
                <td>{new Date(r.firstSeen).toLocaleString()}</td>
                <td>{new Date(r.lastSeen).toLocaleString()}</td>
                <td>{r.count}</td>
                <td>
                  <button type="button" onClick={() => allow(r.origin)} disabled={busy !== null || full} aria-label={`Allow this address: ${r.origin}`}>
                    {busy === r.origin ? 'Allowing…' : 'Allow this address'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>Extra addresses allowed</h4>
      {view.extraOrigins.length === 0 ? (
        <p class="muted">None: only the site above{view.nilearOrigin ? ' and the Nilear origin' : ''}.</p>
      ) : (
        <ul data-testid="extra-origins">
          {view.extraOrigins.map((o) => (
            <li key={o}>
              <code>{o}</code>{' '}
              <button type="button" class="link" onClick={() => remove(o)} disabled={busy !== null} aria-label={`Remove ${o}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="row" onSubmit={addTyped}>
        <label for="extra-origin" class="visually-hidden">
          Another address to allow
        </label>
        <input
          id="extra-origin"
          data-testid="field-extra-origin"
          placeholder="https://cw.example.com"
          value={typed}
          onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
          autocomplete="off"
          spellcheck={false}
        />
        <button type="submit" disabled={busy !== null || full || typed.trim() === ''}>
          Allow
        </button>
      </form>
      {full && <p class="muted">At most {MAX_EXTRA_ORIGINS} extra addresses: remove one to allow another.</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
