import { render } from 'preact';
import './admin.css';
import { adminApi } from './api.ts';
import { refreshTenants, signInState } from './state.ts';
import { App } from './views/App.tsx';

render(<App />, document.getElementById('app')!);

// A console session survives a reload through its httpOnly cookie.
void adminApi.resume().then(async (ok) => {
  signInState.value = ok ? 'signed-in' : 'signed-out';
  if (ok) await refreshTenants();
});
