import { useState } from 'preact/hooks';
import { adminApi, AdminApiError } from '../api.ts';
import { refreshTenants, signInState } from '../state.ts';

/** The admin token, once; the server answers with an httpOnly session cookie. */
export function SignIn() {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await adminApi.signIn(token.trim());
      setToken('');
      signInState.value = 'signed-in';
      await refreshTenants();
    } catch (err) {
      setError(
        err instanceof AdminApiError && err.status === 401
          ? 'That admin token is not right. It is the ADMIN_TOKEN the server was started with (printed at start in demo mode).'
          : err instanceof Error
            ? err.message
            : 'Sign-in failed.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <h1>ConnectWise pod — admin console</h1>
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <label for="admin-token">Admin token</label>
        <p class="muted" id="admin-token-hint" data-testid="admin-token-hint">
          It is the <code>ADMIN_TOKEN</code> the pod server was started with. Trying the demo (<code>npm start</code> without{' '}
          <code>ADMIN_TOKEN</code>)? The server made one up and printed it at start, at the end of its output in the terminal.
        </p>
        <input
          id="admin-token"
          aria-describedby="admin-token-hint"
          data-testid="admin-token"
          type="password"
          autocomplete="current-password"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy || token.trim() === ''} data-testid="sign-in">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
