import { signal } from '@preact/signals';
import type { TenantView } from '../../shared/admin-api.ts';
import { AdminApiError, adminApi } from './api.ts';

export type SignInState = 'checking' | 'signed-out' | 'signed-in';

export const signInState = signal<SignInState>('checking');
export const tenants = signal<TenantView[]>([]);
/** The company being edited; '' for a new one; null for none. */
export const editing = signal<string | null>(null);
export const notice = signal<{ kind: 'error' | 'info'; text: string } | null>(null);

export function showError(err: unknown): void {
  notice.value = { kind: 'error', text: err instanceof Error ? err.message : 'Something went wrong.' };
}

export async function refreshTenants(): Promise<void> {
  try {
    tenants.value = (await adminApi.listTenants()).tenants;
  } catch (err) {
    if (err instanceof AdminApiError && err.status === 401) signInState.value = 'signed-out';
    else showError(err);
  }
}

export function replaceTenant(view: TenantView): void {
  const others = tenants.value.filter((t) => t.companyId.toLowerCase() !== view.companyId.toLowerCase());
  tenants.value = [...others, view].sort((a, b) => a.companyId.localeCompare(b.companyId));
}
