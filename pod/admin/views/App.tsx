import { adminApi } from '../api.ts';
import { editing, notice, signInState, tenants } from '../state.ts';
import { SignIn } from './SignIn.tsx';
import { TenantEditor } from './TenantEditor.tsx';
import { TenantList } from './TenantList.tsx';
import { EventsView } from './events-view.tsx';
import { RefusedOrigins } from './refused-origins.tsx';

export function App() {
  if (signInState.value === 'checking') return <p class="muted page">Loading…</p>;
  if (signInState.value === 'signed-out') return <SignIn />;
  const signOut = async () => {
    await adminApi.signOut();
    tenants.value = [];
    editing.value = null;
    notice.value = null;
    signInState.value = 'signed-out';
  };
  return (
    <div class="page">
      <header class="topbar">
        <h1>ConnectWise pod — admin console</h1>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      {notice.value && (
        <p class={notice.value.kind === 'error' ? 'error' : 'good'} role="alert">
          {notice.value.text}{' '}
          <button type="button" class="link" onClick={() => (notice.value = null)}>
            Dismiss
          </button>
        </p>
      )}
      <main>
        <TenantList />
        {editing.value !== null && <TenantEditor companyId={editing.value} />}
        {/* Issue 11: only for a company already saved. */}
        {editing.value ? <RefusedOrigins companyId={editing.value} /> : null}
        {editing.value ? <EventsView companyId={editing.value} /> : null}
      </main>
    </div>
  );
}
