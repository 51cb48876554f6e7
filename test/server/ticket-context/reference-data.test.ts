import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoConnection } from '../../support/tenant-connections.ts';
import { createConnectWise, type ConnectWise } from '../../../server/connectwise/connectwise.ts';
import { demoClientId, demoCompanyId, demoTicketIds } from '../../../server/simulated-connectwise/demo.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import { creditHoldMessage, priorityColors } from '../../../server/simulated-connectwise/fixtures/reference-data.ts';
import { safeCssColor } from '../../../server/ticket-context/apply-reference-data.ts';
import { createTicketContextLoader } from '../../../server/ticket-context/loader.ts';
import { createReferenceData } from '../../../server/ticket-context/reference-data.ts';

// Issue 12: priorities and company statuses, read once per tenant and applied to the view.

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

let connectwise: ConnectWise;
const tableCalls = () =>
  sim.calls.list().filter((c) => c.path.endsWith('/service/priorities') || c.path.endsWith('/company/companies/statuses'));
const viewCalls = () => sim.calls.list().filter((c) => c.path.includes('/apis/3.0/'));

beforeEach(async () => {
  sim.reset();
  connectwise = createConnectWise({ allowPrivateNetwork: false, defaultClientId: demoClientId });
  await connectwise.api(demoConnection).apiBase();
  sim.calls.clear();
});
afterEach(async () => {
  sim.faults.clear();
  await connectwise.close();
});

/** A ticket of Tailspin Toys, whose status (Credit Hold) notifies. */
const tailspinTicket = 1007;

describe('reference data', () => {
  it('colours the priority and flags a notifying company status, with 2 extra calls cold and none once cached', async () => {
    const loader = createTicketContextLoader({ connectwise, referenceData: createReferenceData({ connectwise }) });
    const withoutTables = createTicketContextLoader({ connectwise });
    await withoutTables.context(demoConnection, tailspinTicket);
    const baseline = viewCalls().length;
    sim.calls.clear();

    const cold = await loader.context(demoConnection, tailspinTicket);
    expect(viewCalls().length).toBe(baseline + 2);
    expect(tableCalls()).toHaveLength(2);
    expect(cold.ticket.priority).toMatchObject({ name: 'Priority 3 - Normal Response', color: priorityColors.p3, sort: 3 });
    expect(cold.company).toMatchObject({
      ok: true,
      data: { status: 'Credit Hold', statusFlags: { notify: true, message: creditHoldMessage, inactive: false, notApproved: false } },
    });

    // Another company, ticket never seen: its own parts, but no table read again.
    sim.calls.clear();
    const other = await loader.context(demoConnection, demoTicketIds.networkOpsOpen);
    expect(tableCalls()).toHaveLength(0);
    expect(other.ticket.priority?.color).toBe(priorityColors.p1);
    expect(other.company).toMatchObject({ ok: true, data: { statusFlags: { notify: false, inactive: false } } });
    if (other.otherOpenTickets.ok) {
      expect(other.otherOpenTickets.data.every((t) => t.priorityColor !== undefined && t.prioritySort !== undefined)).toBe(true);
    } else {
      expect.unreachable('other open tickets should load');
    }

    // Warm view: nothing at all.
    sim.calls.clear();
    await loader.context(demoConnection, tailspinTicket);
    expect(viewCalls()).toHaveLength(0);
  });

  it('marks a not-approved company, and the summary carries the colour too', async () => {
    const loader = createTicketContextLoader({ connectwise, referenceData: createReferenceData({ connectwise }) });
    const prospectTicket = 1009;
    const context = await loader.context(demoConnection, prospectTicket);
    expect(context.company).toMatchObject({ ok: true, data: { statusFlags: { notApproved: true, notify: false } } });
    const summary = await loader.summary(demoConnection, demoTicketIds.networkOpsOpen);
    expect(summary.ticket.priority?.color).toBe(priorityColors.p1);
  });

  it('shows the view without colours or flags when the tables are refused, and does not ask again at once', async () => {
    const instance = sim.world.get(demoCompanyId)!;
    const role = instance.securityRoles.find((r) => r.name === 'Pod API')!;
    role.settings = role.settings.filter((s) => s.moduleFunctionIdentifier !== 'TableSetup');
    const loader = createTicketContextLoader({ connectwise, referenceData: createReferenceData({ connectwise }) });
    const context = await loader.context(demoConnection, demoTicketIds.networkOpsOpen);
    expect(context.ticket.priority?.name).toBe('Priority 1 - Emergency Response');
    expect(context.ticket.priority?.color).toBeUndefined();
    expect(context.company).toMatchObject({ ok: true, data: { statusFlags: { notify: false } } });
    const refused = sim.calls.list().filter((c) => c.path.endsWith('/service/priorities'));
    expect(refused.map((c) => c.status)).toEqual([403]);
    await loader.context(demoConnection, tailspinTicket);
    expect(sim.calls.list().filter((c) => c.path.endsWith('/service/priorities'))).toHaveLength(1);
  });

  it('keeps tables for their lifetime, then reads them again', async () => {
    let now = 1_000_000;
    const tables = createReferenceData({ connectwise, ttlMs: 1000, now: () => now });
    await tables.load(demoConnection);
    await tables.load(demoConnection);
    expect(tableCalls()).toHaveLength(2);
    now += 1001;
    const again = await tables.load(demoConnection);
    expect(tableCalls()).toHaveLength(4);
    expect(again.priorities?.size).toBe(4);
  });
});

describe('safeCssColor', () => {
  it.each([
    ['#D0021B', '#D0021B'],
    ['#abc', '#abc'],
    ['D0021B', '#D0021B'],
    ['Red', 'red'],
    [' #12345678 ', '#12345678'],
  ])('accepts %j', (input, output) => expect(safeCssColor(input)).toBe(output));
  it.each(['', null, undefined, 'url(javascript:x)', 'red;background:url(x)', 'expression(1)', '#12'])('drops %j', (input) =>
    expect(safeCssColor(input)).toBeUndefined(),
  );
});
