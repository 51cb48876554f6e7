import { vi } from 'vitest';
import { adminApi } from '../../../../pod/admin/api.ts';
import { editing, notice, signInState, tenants } from '../../../../pod/admin/state.ts';

/** Puts the console's shared signals and the API client's CSRF token back to a fresh page's. */
export async function resetAdminState(): Promise<void> {
  signInState.value = 'checking';
  tenants.value = [];
  editing.value = null;
  notice.value = null;
  // signOut forgets the CSRF token; its DELETE is answered here, not by a server.
  const spy = vi.spyOn(window, 'fetch').mockResolvedValue(new Response(null, { status: 204 }));
  await adminApi.signOut();
  spy.mockRestore();
}
