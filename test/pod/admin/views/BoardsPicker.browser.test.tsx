import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { BoardsPicker } from '../../../../pod/admin/views/BoardsPicker.tsx';
import { boardList } from '../support/admin-fixtures.ts';
import { apiError, deferred, fakeAdminServer, json, type FakeAdminServer } from '../support/fake-admin-server.ts';
import { mount, unmountAll } from '../support/mount.ts';
import { resetAdminState } from '../support/reset-state.ts';

let server: FakeAdminServer;

beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
});

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

/** The picker is controlled: this holder keeps its value as the editor does. */
function Holder({ companyId, initial, changes }: { companyId: string; initial: number[]; changes: number[][] }) {
  const [ids, setIds] = useState(initial);
  return (
    <BoardsPicker
      companyId={companyId}
      value={ids}
      onChange={(next) => {
        changes.push(next);
        setIds(next);
      }}
    />
  );
}

const checkbox = (name: string) => page.getByRole('checkbox', { name });

describe('boards picker', () => {
  it('says it is loading, then lists the boards from ConnectWise with the chosen ones ticked', async () => {
    const gate = deferred();
    server.on('GET', '/tenants/acme/boards', gate.answer);
    mount(<Holder companyId="acme" initial={[4]} changes={[]} />);
    await expect.element(page.getByText('Loading boards from ConnectWise…')).toBeVisible();
    gate.release(json(200, boardList()));
    await expect.element(page.getByTestId('boards-picker')).toBeVisible();
    await expect.element(checkbox('Help Desk')).not.toBeChecked();
    await expect.element(checkbox('Projects')).toBeChecked();
    await expect.element(checkbox('Old Queue (inactive)')).not.toBeChecked();
    expect(document.querySelectorAll('[data-testid="boards-picker"] input[type="checkbox"]')).toHaveLength(3);
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /tenants/acme/boards']);
  });

  it('ticks and unticks boards, keeping the ids sorted', async () => {
    server.on('GET', '/tenants/acme/boards', json(200, boardList()));
    const changes: number[][] = [];
    mount(<Holder companyId="acme" initial={[4]} changes={changes} />);
    await userEvent.click(checkbox('Old Queue (inactive)'));
    await userEvent.click(checkbox('Help Desk'));
    await userEvent.click(checkbox('Projects'));
    expect(changes).toEqual([[4, 7], [1, 4, 7], [1, 7]]);
    await expect.element(checkbox('Projects')).not.toBeChecked();
    await expect.element(checkbox('Help Desk')).toBeChecked();
  });

  it('shows the error line when the boards cannot be loaded', async () => {
    server.on('GET', '/tenants/acme/boards', apiError(502, 'connectwise_unreachable', 'ConnectWise did not answer (timeout).'));
    mount(<Holder companyId="acme" initial={[]} changes={[]} />);
    await expect.element(page.getByText('Boards: ConnectWise did not answer (timeout).', { exact: true })).toBeVisible();
    expect(document.querySelector('[data-testid="boards-picker"]')).toBeNull();
  });

  it('ignores a late answer for the company it was showing before', async () => {
    const first = deferred();
    server.on('GET', '/tenants/acme/boards', first.answer).on('GET', '/tenants/beta/boards', json(200, { boards: [{ id: 9, name: 'Beta Desk', inactive: false }] }));
    const el = mount(<BoardsPicker companyId="acme" value={[]} onChange={() => {}} />);
    render(<BoardsPicker companyId="beta" value={[]} onChange={() => {}} />, el);
    await expect.element(checkbox('Beta Desk')).toBeVisible();
    first.release(json(200, boardList()));
    // Let the stale answer reach the component, had it still been listening.
    await new Promise((r) => setTimeout(r, 50));
    await expect.element(checkbox('Help Desk')).not.toBeInTheDocument();
    await expect.element(checkbox('Beta Desk')).toBeVisible();
  });
});
