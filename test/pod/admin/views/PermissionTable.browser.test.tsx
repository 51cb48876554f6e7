import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { podPermissions } from '../../../../shared/pod-permissions.ts';
import { PermissionTable } from '../../../../pod/admin/views/PermissionTable.tsx';
import { mount, unmountAll } from '../support/mount.ts';

afterEach(unmountAll);

describe('permission table', () => {
  it('has one row per permission in shared/pod-permissions.ts, in order, with where, why and whether it is required', () => {
    const el = mount(<PermissionTable />);
    const rows = [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual(podPermissions.map((p) => [p.uiPath, p.why, p.required ? 'Required' : 'Optional']));
    expect(podPermissions.some((p) => p.required)).toBe(true);
    expect(podPermissions.some((p) => !p.required)).toBe(true);
  });

  it('is folded away until the admin opens it', async () => {
    const el = mount(<PermissionTable />);
    const first = page.getByText(podPermissions[0]!.why, { exact: true });
    await expect.element(first).not.toBeVisible();
    await userEvent.click(page.getByText("What the API member's security role needs"));
    await expect.element(first).toBeVisible();
    expect(el.querySelector('details')!.open).toBe(true);
  });
});
