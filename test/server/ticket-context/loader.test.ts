import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoConnection } from '../../support/tenant-connections.ts';
import { memberCredentials } from '../../support/members.ts';
import { TicketAgreements, TicketContext, TicketSummary } from '../../../shared/ticket-context.ts';
import { createConnectWise, type ConnectWise, type TenantConnection } from '../../../server/connectwise/connectwise.ts';
import {
  cloudInstance,
  demoApiMember,
  demoClientId,
  demoCompanyId,
  demoLimitedApiMember,
  demoRestrictedTechnician,
  demoTechnician,
  demoForgedMemberHash,
  demoTicketIds,
  type DemoMember,
} from '../../../server/simulated-connectwise/demo.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';
import type { CwRecord, Instance, JsonRecord } from '../../../server/simulated-connectwise/world.ts';
import { TicketForbiddenError } from '../../../server/ticket-context/errors/TicketForbiddenError.ts';
import { TicketNotFoundError } from '../../../server/ticket-context/errors/TicketNotFoundError.ts';
import { createTicketContextLoader } from '../../../server/ticket-context/loader.ts';

// The loader against the simulated ConnectWise (msw), through the real ConnectWise client.

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);

// REST requests starting and answered, in order, as msw sees them (the simulator's own log
// records a call when it answers, so it gives the answer order but not the start order).
const timeline: { kind: 'start' | 'answer'; path: string }[] = [];
const restPath = (path: string) => path.slice(path.indexOf('/apis/3.0/') + '/apis/3.0/'.length);
server.events.on('request:start', ({ request }) => {
  const path = new URL(request.url).pathname;
  if (path.includes('/apis/3.0/')) timeline.push({ kind: 'start', path: restPath(path) });
});
server.events.on('response:mocked', ({ request }) => {
  const path = new URL(request.url).pathname;
  if (path.includes('/apis/3.0/')) timeline.push({ kind: 'answer', path: restPath(path) });
});

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const tenant = demoConnection;
const limitedTenant: TenantConnection = {
  ...tenant,
  publicKey: demoLimitedApiMember.publicKey,
  privateKey: demoLimitedApiMember.privateKey,
};

let connectwise: ConnectWise;
const instance = (): Instance => sim.world.get(demoCompanyId)!;
const ticketRecord = (id: number): CwRecord => instance().tickets.find((t) => t.id === id)!;

/** REST calls (below /apis/3.0/) in the simulator's log, after the discovery warm-up. */
const restCalls = () => sim.calls.list().filter((c) => c.path.includes('/apis/3.0/'));
/** A view's calls: REST calls less the member verification, which a session makes once per member. */
const viewCalls = () => restCalls().filter((c) => !c.path.endsWith('/system/myMembers/info'));
const memberReads = (ticketId: number) =>
  restCalls().filter((c) => restPath(c.path) === `service/tickets/${ticketId}` && c.auth !== 'api');

beforeEach(async () => {
  sim.reset();
  connectwise = createConnectWise({ allowPrivateNetwork: false, defaultClientId: demoClientId });
  // Discovery (companyinfo) happens once per tenant in the client; keep it out of the counts.
  await connectwise.api(tenant).apiBase();
  await connectwise.api(limitedTenant).apiBase();
  sim.calls.clear();
  timeline.length = 0;
});
afterEach(async () => {
  sim.faults.clear();
  await connectwise.close();
});

describe('context', () => {
  it('loads the full context of a rich ticket', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const ctx = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    expect(TicketContext.parse(ctx)).toEqual(ctx);

    const source = ticketRecord(demoTicketIds.helpDeskOpen);
    expect(ctx.ticket.id).toBe(demoTicketIds.helpDeskOpen);
    expect(ctx.ticket.summary).toBe(source['summary']);
    expect(ctx.ticket.company?.id).toBe((source['company'] as JsonRecord)['id']);
    // The ticket's own agreement comes with the ticket, type included.
    const agreement = source['agreement'] as JsonRecord;
    expect(ctx.ticket.agreement).toEqual({ id: agreement['id'], name: agreement['name'], type: agreement['type'] });
    expect(ctx.ticket.agreement?.type).toBeTruthy();

    if (!ctx.company.ok || !ctx.contact.ok || !ctx.configurations.ok || !ctx.notes.ok || !ctx.time.ok) {
      throw new Error(`a section failed: ${JSON.stringify(ctx)}`);
    }
    if (!ctx.otherOpenTickets.ok) throw new Error('a company section failed');
    expect(ctx.company.data?.id).toBe((source['company'] as JsonRecord)['id']);
    expect(ctx.contact.data?.id).toBe((source['contact'] as JsonRecord)['id']);

    const attached = instance()
      .ticketConfigurations.filter((x) => x.ticketId === demoTicketIds.helpDeskOpen)
      .map((x) => x.configurationId);
    expect(ctx.configurations.data.map((c) => c.id).sort()).toEqual([...attached].sort());
    // Details came from company/configurations, not just the references.
    const firstConfig = instance().configurations.find((c) => c.id === attached[0])!;
    expect(ctx.configurations.data.find((c) => c.id === attached[0])?.serialNumber).toBe(firstConfig['serialNumber'] ?? undefined);

    const entries = instance().timeEntries.filter((e) => e['chargeToId'] === demoTicketIds.helpDeskOpen && e['chargeToType'] === 'ServiceTicket');
    expect(ctx.time.data.entries).toBe(entries.length);
    const hours = entries.reduce((n, e) => n + Number(e['actualHours'] ?? 0), 0);
    expect(ctx.time.data.actualHours).toBeCloseTo(hours, 2);

    expect(ctx.notes.data.total).toBeGreaterThan(0);
    const dates = ctx.notes.data.items.map((n) => Date.parse(n.createdAt ?? ''));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));

    expect(ctx.otherOpenTickets.data.map((t) => t.id)).not.toContain(demoTicketIds.helpDeskOpen);
    const companyId = (source['company'] as JsonRecord)['id'];
    const expectedOpen = instance()
      .tickets.filter((t) => (t['company'] as JsonRecord | null)?.['id'] === companyId && t['closedFlag'] !== true && t.id !== demoTicketIds.helpDeskOpen)
      .map((t) => t.id)
      .sort((a, b) => b - a);
    expect(ctx.otherOpenTickets.data.map((t) => t.id)).toEqual(expectedOpen);
    expect(ctx.meta.fromCache).toBe(false);
  });

  it('loads a ticket without a contact: the contact section is null and costs no call', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const ctx = await loader.context(tenant, demoTicketIds.noContact, {});
    expect(TicketContext.parse(ctx)).toEqual(ctx);
    expect(ctx.contact).toEqual({ ok: true, data: null });
    expect(restCalls().some((c) => restPath(c.path).startsWith('company/contacts'))).toBe(false);
  });

  it('loads a ticket without company, contact or configurations from the ticket call and round one only', async () => {
    const record = ticketRecord(demoTicketIds.noContact);
    record['company'] = null;
    record['contact'] = null;
    instance().ticketConfigurations = instance().ticketConfigurations.filter((x) => x.ticketId !== demoTicketIds.noContact);
    const loader = createTicketContextLoader({ connectwise });
    const ctx = await loader.context(tenant, demoTicketIds.noContact, {});
    expect(TicketContext.parse(ctx)).toEqual(ctx);
    expect(ctx.company).toEqual({ ok: true, data: null });
    expect(ctx.contact).toEqual({ ok: true, data: null });
    expect(ctx.configurations).toEqual({ ok: true, data: [] });
    expect(ctx.otherOpenTickets).toEqual({ ok: true, data: [] });
    expect(restCalls().map((c) => restPath(c.path)).sort()).toEqual(
      [
        `service/tickets/${demoTicketIds.noContact}`,
        `service/tickets/${demoTicketIds.noContact}/allNotes`,
        `service/tickets/${demoTicketIds.noContact}/configurations`,
        'time/entries',
      ].sort(),
    );
  });

  it('renders a ticket whose records are null everywhere', async () => {
    const id = demoTicketIds.helpDeskOpen;
    const nulled = (r: CwRecord, keep: string[]) => {
      for (const key of Object.keys(r)) if (key !== 'id' && !keep.includes(key)) r[key] = null;
    };
    const inst = instance();
    const record = ticketRecord(id);
    const companyId = Number((record['company'] as JsonRecord)['id']);
    const contactId = Number((record['contact'] as JsonRecord)['id']);
    // The ticket keeps only what the simulator needs to find it and its relatives.
    nulled(record, ['company', 'contact', 'board', 'closedFlag']);
    record['company'] = { id: companyId };
    record['contact'] = { id: contactId };
    nulled(inst.companies.find((c) => c.id === companyId)!, []);
    nulled(inst.contacts.find((c) => c.id === contactId)!, []);
    for (const n of inst.notes.filter((n) => n['ticketId'] === id)) nulled(n, ['ticketId']);
    for (const e of inst.timeEntries.filter((e) => e['chargeToId'] === id)) nulled(e, ['chargeToId', 'chargeToType']);
    for (const x of inst.ticketConfigurations.filter((x) => x.ticketId === id)) {
      nulled(inst.configurations.find((c) => c.id === x.configurationId)!, []);
    }
    const loader = createTicketContextLoader({ connectwise });
    const ctx = await loader.context(tenant, id, {});
    expect(TicketContext.parse(ctx)).toEqual(ctx);
    expect(ctx.ticket).toMatchObject({ id, summary: '', resources: [] });
    expect(ctx.company).toMatchObject({ ok: true, data: { id: companyId, types: [] } });
    expect(ctx.contact).toMatchObject({ ok: true, data: { id: contactId, name: '', phones: [], emails: [] } });
    for (const s of [ctx.configurations, ctx.notes, ctx.time, ctx.otherOpenTickets]) expect(s.ok).toBe(true);
  });

  it('loads in full for an API member whose role cannot read agreements: the view needs none', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const ctx = await loader.context(limitedTenant, demoTicketIds.helpDeskOpen, {});
    expect(TicketContext.parse(ctx)).toEqual(ctx);
    for (const s of [ctx.company, ctx.contact, ctx.configurations, ctx.notes, ctx.time, ctx.otherOpenTickets]) expect(s.ok).toBe(true);
    expect(ctx.ticket.agreement?.id).toBe((ticketRecord(demoTicketIds.helpDeskOpen)['agreement'] as JsonRecord)['id']);
  });

  it('reports a section ConnectWise cannot serve as unavailable and renders the rest', async () => {
    sim.faults.set({ kind: 'server-error', status: 500, path: '*/time/entries' });
    const loader = createTicketContextLoader({ connectwise });
    const ctx = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    expect(ctx.time).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(ctx.notes.ok).toBe(true);
  });

  it('reports a deleted contact as not_found', async () => {
    const contactId = Number((ticketRecord(demoTicketIds.helpDeskOpen)['contact'] as JsonRecord)['id']);
    instance().contacts = instance().contacts.filter((c) => c.id !== contactId);
    const loader = createTicketContextLoader({ connectwise });
    const ctx = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    // In plain words: ConnectWise's own text never reaches the technician (issue 10 item 9).
    expect(ctx.contact).toEqual({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/^ConnectWise has no record/) } });
  });

  it('fails with TicketNotFoundError when ConnectWise has no such ticket', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const err = await loader.context(tenant, demoTicketIds.missing, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TicketNotFoundError);
    expect(err).toMatchObject({ ticketId: demoTicketIds.missing, cwMessage: `Ticket Id ${demoTicketIds.missing} not found` });
  });

  it('fails with TicketForbiddenError when the API member may not read tickets', async () => {
    const role = instance().securityRoles.find((r) => r.id === demoApiMember.securityRoleId)!;
    const row = role.settings.find((s) => s.moduleIdentifier === 'ServiceDesk' && s.moduleFunctionIdentifier === 'ServiceTickets')!;
    row.inquireLevel = 'None';
    const loader = createTicketContextLoader({ connectwise });
    const err = await loader.context(tenant, demoTicketIds.helpDeskOpen, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TicketForbiddenError);
    expect(err).toMatchObject({ as: 'api-member', cwMessage: 'You do not have security permission to perform this action.' });
  });
});

describe('ConnectWise calls', () => {
  it('makes one call per endpoint for a cold view of a rich ticket, and none for the company’s agreements', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    const paths = restCalls().map((c) => restPath(c.path));
    const id = demoTicketIds.helpDeskOpen;
    expect(paths).not.toContain('finance/agreements');
    expect(paths.sort()).toEqual(
      [
        `service/tickets/${id}`,
        `service/tickets/${id}/allNotes`,
        `service/tickets/${id}/configurations`,
        'time/entries',
        `company/companies/${Number((ticketRecord(id)['company'] as JsonRecord)['id'])}`,
        `company/contacts/${Number((ticketRecord(id)['contact'] as JsonRecord)['id'])}`,
        'company/configurations',
        'service/tickets',
      ].sort(),
    );
  });

  it('asks for the configurations in one list call and trims list calls with fields', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    const calls = restCalls();
    const configs = calls.find((c) => restPath(c.path) === 'company/configurations')!;
    const query = new URLSearchParams(configs.search);
    expect(query.get('conditions')).toMatch(/^id in \(\d+(,\d+)*\)$/);
    for (const path of ['company/configurations', 'service/tickets', 'time/entries']) {
      const call = calls.find((c) => restPath(c.path) === path)!;
      expect(new URLSearchParams(call.search).get('fields')).toBeTruthy();
    }
    const open = new URLSearchParams(calls.find((c) => restPath(c.path) === 'service/tickets')!.search);
    expect(open.get('conditions')).toMatch(/^company\/id=\d+ and closedFlag=false$/);
    expect(open.get('orderBy')).toBe('id desc');
  });

  it('makes no call for a warm view within the TTL, and says it came from the cache', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const cold = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    sim.calls.clear();
    const warm = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    expect(restCalls()).toHaveLength(0);
    expect(warm.meta.fromCache).toBe(true);
    expect(warm.meta.fetchedAt).toBe(cold.meta.fetchedAt);
    expect({ ...warm, meta: null }).toEqual({ ...cold, meta: null });
  });

  it('re-reads everything with fresh and serves the new data afterwards', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const cold = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    const coldCalls = restCalls().length;
    ticketRecord(demoTicketIds.helpDeskOpen)['summary'] = 'Changed in ConnectWise';
    sim.calls.clear();
    const fresh = await loader.context(tenant, demoTicketIds.helpDeskOpen, { fresh: true });
    expect(restCalls()).toHaveLength(coldCalls);
    expect(fresh.meta.fromCache).toBe(false);
    expect(fresh.ticket.summary).toBe('Changed in ConnectWise');
    expect(cold.ticket.summary).not.toBe('Changed in ConnectWise');
    sim.calls.clear();
    const after = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    expect(restCalls()).toHaveLength(0);
    expect(after.ticket.summary).toBe('Changed in ConnectWise');
  });

  it('reads again once the TTL has passed', async () => {
    const loader = createTicketContextLoader({ connectwise, cacheTtlMs: 20 });
    await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    const coldCalls = restCalls().length;
    await new Promise((r) => setTimeout(r, 60));
    sim.calls.clear();
    const again = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    expect(restCalls()).toHaveLength(coldCalls);
    expect(again.meta.fromCache).toBe(false);
  });

  it('makes one set of calls for 50 concurrent views of one ticket', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const views = await Promise.all(Array.from({ length: 50 }, () => loader.context(tenant, demoTicketIds.helpDeskOpen, {})));
    const calls = restCalls().map((c) => restPath(c.path));
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls).toHaveLength(8);
    for (const v of views) expect(v.ticket).toEqual(views[0]!.ticket);
  });

  it('shares the ticket read between summary and context', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const summary = await loader.summary(tenant, demoTicketIds.helpDeskOpen, {});
    expect(TicketSummary.parse(summary)).toEqual(summary);
    expect(summary.meta.fromCache).toBe(false);
    sim.calls.clear();
    const ctx = await loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    expect(restCalls().map((c) => restPath(c.path))).not.toContain(`service/tickets/${demoTicketIds.helpDeskOpen}`);
    expect(ctx.ticket).toEqual(summary.ticket);
    expect(ctx.meta.fromCache).toBe(true);
    sim.calls.clear();
    const again = await loader.summary(tenant, demoTicketIds.helpDeskOpen, {});
    expect(restCalls()).toHaveLength(0);
    expect(again.meta.fromCache).toBe(true);
  });

  it('keeps tenants apart in the cache', async () => {
    const northwind: TenantConnection = {
      companyId: cloudInstance.companyId,
      site: { uiOrigin: `https://${cloudInstance.uiHost}`, apiOrigin: `https://${cloudInstance.apiHost}`, region: 'eu', kind: 'cloud' },
      publicKey: cloudInstance.apiMember.publicKey,
      privateKey: cloudInstance.apiMember.privateKey,
      clientId: demoClientId,
    };
    sim.world.get(cloudInstance.companyId)!.tickets.find((t) => t.id === demoTicketIds.helpDeskOpen)!['summary'] = 'Northwind’s own ticket';
    const loader = createTicketContextLoader({ connectwise });
    const demo = await loader.summary(tenant, demoTicketIds.helpDeskOpen, {});
    const other = await loader.summary(northwind, demoTicketIds.helpDeskOpen, {});
    expect(other.meta.fromCache).toBe(false);
    expect(other.ticket.summary).toBe('Northwind’s own ticket');
    expect(demo.ticket.summary).not.toBe(other.ticket.summary);
    // The same tenant typed in another case shares the entry (company ids are case-insensitive).
    const again = await loader.summary({ ...tenant, companyId: demoCompanyId.toUpperCase() }, demoTicketIds.helpDeskOpen, {});
    expect(again).toMatchObject({ ticket: demo.ticket, meta: { fromCache: true } });
  });

  it('takes two round trips under latency: round one all starts before any answer, round two after the answers it needs', async () => {
    sim.faults.set({ kind: 'latency', ms: 150 });
    const loader = createTicketContextLoader({ connectwise });
    const id = demoTicketIds.helpDeskOpen;
    await loader.context(tenant, id, {});

    const ticket = `service/tickets/${id}`;
    const refs = `service/tickets/${id}/configurations`;
    const roundOne = [ticket, `service/tickets/${id}/allNotes`, refs, 'time/entries'];
    const companyId = Number((ticketRecord(id)['company'] as JsonRecord)['id']);
    const contactId = Number((ticketRecord(id)['contact'] as JsonRecord)['id']);
    const needsTicket = [`company/companies/${companyId}`, `company/contacts/${contactId}`, 'service/tickets'];
    const needsRefs = ['company/configurations'];

    // The simulator's log is in answer order; msw's events give the start order in one timeline.
    const answers = sim.calls.list().map((c) => restPath(c.path));
    expect(timeline.filter((e) => e.kind === 'answer').map((e) => e.path)).toEqual(answers);
    const at = (kind: 'start' | 'answer', path: string) => {
      const i = timeline.findIndex((e) => e.kind === kind && e.path === path);
      expect(i, `${kind} of ${path}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const firstAnswer = timeline.findIndex((e) => e.kind === 'answer');
    for (const path of roundOne) expect(at('start', path)).toBeLessThan(firstAnswer);
    for (const path of needsTicket) expect(at('start', path)).toBeGreaterThan(at('answer', ticket));
    for (const path of needsRefs) expect(at('start', path)).toBeGreaterThan(at('answer', refs));
    // No third round: every request has started before any round-two request answers.
    const lastStart = Math.max(...timeline.flatMap((e, i) => (e.kind === 'start' ? [i] : [])));
    const firstRoundTwoAnswer = Math.min(...[...needsTicket, ...needsRefs].map((p) => at('answer', p)));
    expect(lastStart).toBeLessThan(firstRoundTwoAnswer);
  });

  it('starts each round-two read as soon as the answer it needs arrives, not after slower round-one reads', async () => {
    sim.faults.set([
      { kind: 'latency', ms: 50 },
      { kind: 'latency', ms: 400, path: '*/allNotes' },
      { kind: 'latency', ms: 400, path: '*/time/entries' },
    ]);
    const loader = createTicketContextLoader({ connectwise });
    const id = demoTicketIds.helpDeskOpen;
    await loader.context(tenant, id, {});
    const at = (kind: 'start' | 'answer', path: string) => timeline.findIndex((e) => e.kind === kind && e.path === path);
    const slowest = Math.min(at('answer', `service/tickets/${id}/allNotes`), at('answer', 'time/entries'));
    for (const path of [`company/companies/${Number((ticketRecord(id)['company'] as JsonRecord)['id'])}`, 'service/tickets', 'company/configurations']) {
      expect(at('start', path), path).toBeGreaterThanOrEqual(0);
      expect(at('start', path), path).toBeLessThan(slowest);
    }
  });
});

describe('abort', () => {
  it('stops waiting when the caller aborts and leaves a shared fetch to the other caller', async () => {
    sim.faults.set({ kind: 'latency', ms: 100 });
    const loader = createTicketContextLoader({ connectwise });
    const leaving = new AbortController();
    const first = loader.context(tenant, demoTicketIds.helpDeskOpen, { signal: leaving.signal });
    const second = loader.context(tenant, demoTicketIds.helpDeskOpen, {});
    setTimeout(() => leaving.abort(new Error('switched tickets')), 30);
    await expect(first).rejects.toThrow('switched tickets');
    const ctx = await second;
    expect(Object.values(ctx).every((s) => typeof s !== 'object' || s === null || !('ok' in s) || s.ok)).toBe(true);
    // Nothing was re-requested: the other caller kept the shared fetches.
    const calls = restCalls().map((c) => restPath(c.path));
    expect(new Set(calls).size).toBe(calls.length);
  });

  it('rejects at once for an already aborted signal, without calling ConnectWise', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await expect(
      loader.context(tenant, demoTicketIds.helpDeskOpen, { signal: AbortSignal.abort(new Error('gone')) }),
    ).rejects.toThrow('gone');
    expect(restCalls()).toHaveLength(0);
  });

  it('cancels the upstream calls when the only caller leaves', async () => {
    sim.faults.set({ kind: 'timeout', path: '*/allNotes' });
    const loader = createTicketContextLoader({ connectwise });
    const leaving = new AbortController();
    const view = loader.context(tenant, demoTicketIds.helpDeskOpen, { signal: leaving.signal });
    await new Promise((r) => setTimeout(r, 50));
    leaving.abort(new Error('switched tickets'));
    await expect(view).rejects.toThrow('switched tickets');
    // The hung notes request was aborted (the simulator logs it with status 0 once released).
    await expect.poll(() => sim.calls.list().some((c) => c.path.endsWith('/allNotes') && c.status === 0)).toBe(true);
  });
});

describe('memberAccess', () => {
  it('returns the board of a ticket the member may see, read with the member’s credentials', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const access = await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen);
    const board = ticketRecord(demoTicketIds.helpDeskOpen)['board'] as JsonRecord;
    expect(access).toEqual({ boardId: board['id'] });
    const ticketCalls = restCalls().filter((c) => restPath(c.path) === `service/tickets/${demoTicketIds.helpDeskOpen}`);
    expect(ticketCalls).toHaveLength(1);
    expect(ticketCalls[0]!.auth).toMatch(/^member-/);
  });

  it('throws TicketForbiddenError when ConnectWise refuses the member', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const err = await loader
      .memberAccess(tenant, memberCredentials(demoRestrictedTechnician), demoTicketIds.networkOpsOpen)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TicketForbiddenError);
    expect(err).toMatchObject({ as: 'member', ticketId: demoTicketIds.networkOpsOpen });
  });

  it('throws TicketNotFoundError for a ticket that does not exist', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const err = await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TicketNotFoundError);
  });

  it('reuses a positive answer for the same member and ticket within its lifetime', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const first = await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.networkOpsOpen);
    const again = await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.networkOpsOpen);
    expect(again).toEqual(first);
    expect(memberReads(demoTicketIds.networkOpsOpen)).toHaveLength(1);
  });

  it('never lets one member’s answer stand for another member', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.networkOpsOpen);
    await expect(
      loader.memberAccess(tenant, memberCredentials(demoRestrictedTechnician), demoTicketIds.networkOpsOpen),
    ).rejects.toBeInstanceOf(TicketForbiddenError);
    expect(memberReads(demoTicketIds.networkOpsOpen)).toHaveLength(2);
  });

  it('never lets a forged hash ride on a genuine member’s answer', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen);
    const forged = { ...memberCredentials(demoTechnician), memberHash: demoForgedMemberHash };
    await expect(loader.memberAccess(tenant, forged, demoTicketIds.helpDeskOpen)).rejects.toBeTruthy();
    expect(memberReads(demoTicketIds.helpDeskOpen)).toHaveLength(2);
  });

  it('does not keep a refusal: the member is asked again each time', async () => {
    const loader = createTicketContextLoader({ connectwise });
    for (let i = 0; i < 2; i++) {
      await expect(
        loader.memberAccess(tenant, memberCredentials(demoRestrictedTechnician), demoTicketIds.networkOpsOpen),
      ).rejects.toBeInstanceOf(TicketForbiddenError);
    }
    expect(memberReads(demoTicketIds.networkOpsOpen)).toHaveLength(2);
  });

  it('asks ConnectWise again with fresh, and sees a ticket that moved board', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const before = await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen);
    const other = ticketRecord(demoTicketIds.networkOpsOpen)['board'] as JsonRecord;
    ticketRecord(demoTicketIds.helpDeskOpen)['board'] = other;
    expect(await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen)).toEqual(before);
    const fresh = await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen, { fresh: true });
    expect(fresh).toEqual({ boardId: other['id'] });
    expect(memberReads(demoTicketIds.helpDeskOpen)).toHaveLength(2);
  });

  it('asks again once the answer’s lifetime has passed', async () => {
    const loader = createTicketContextLoader({ connectwise, accessTtlMs: 20 });
    await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen);
    await new Promise((r) => setTimeout(r, 60));
    await loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen);
    expect(memberReads(demoTicketIds.helpDeskOpen)).toHaveLength(2);
  });

  it('shares one read between concurrent checks by the same member', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen)),
    );
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(memberReads(demoTicketIds.helpDeskOpen)).toHaveLength(1);
  });

  it('stops waiting when the caller aborts, without failing the shared read for others', async () => {
    sim.faults.set({ kind: 'latency', ms: 100 });
    const loader = createTicketContextLoader({ connectwise });
    const gone = new AbortController();
    const leaving = loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen, { signal: gone.signal });
    const staying = loader.memberAccess(tenant, memberCredentials(demoTechnician), demoTicketIds.helpDeskOpen);
    gone.abort(new Error('moved on'));
    await expect(leaving).rejects.toThrow('moved on');
    expect((await staying).boardId).toBe((ticketRecord(demoTicketIds.helpDeskOpen)['board'] as JsonRecord)['id']);
  });
});

describe('a view as the pod API makes it (memberAccess, then context)', () => {
  const view = (loader: ReturnType<typeof createTicketContextLoader>, m: DemoMember, id: number, fresh = false) =>
    Promise.all([loader.memberAccess(tenant, memberCredentials(m), id, { fresh }), loader.context(tenant, id, { fresh })]);

  it('reads the ticket once, as the member: the member’s read is the view’s ticket read', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const [, ctx] = await view(loader, demoTechnician, demoTicketIds.helpDeskOpen);
    const id = demoTicketIds.helpDeskOpen;
    const reads = restCalls().filter((c) => restPath(c.path) === `service/tickets/${id}`);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.auth).toMatch(/^member-/);
    expect(viewCalls()).toHaveLength(8);
    expect(ctx.ticket.summary).toBe(ticketRecord(id)['summary']);
  });

  it('costs no call at all when viewed again within the lifetime', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const [, cold] = await view(loader, demoTechnician, demoTicketIds.helpDeskOpen);
    sim.calls.clear();
    const [, warm] = await view(loader, demoTechnician, demoTicketIds.helpDeskOpen);
    expect(viewCalls()).toHaveLength(0);
    expect({ ...warm, meta: null }).toEqual({ ...cold, meta: null });
  });

  it('re-reads everything, the member’s check included, with fresh', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await view(loader, demoTechnician, demoTicketIds.helpDeskOpen);
    sim.calls.clear();
    await view(loader, demoTechnician, demoTicketIds.helpDeskOpen, true);
    expect(memberReads(demoTicketIds.helpDeskOpen)).toHaveLength(1);
    expect(viewCalls()).toHaveLength(8);
  });

  it('reads the ticket with the API keys when the member is refused, so the member’s refusal decides alone', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const [access, ctx] = await Promise.allSettled([
      loader.memberAccess(tenant, memberCredentials(demoRestrictedTechnician), demoTicketIds.networkOpsOpen),
      loader.context(tenant, demoTicketIds.networkOpsOpen, {}),
    ]);
    expect(access.status).toBe('rejected');
    expect(ctx.status).toBe('fulfilled');
    const reads = restCalls().filter((c) => restPath(c.path) === `service/tickets/${demoTicketIds.networkOpsOpen}`);
    expect(reads.map((c) => (c.auth === 'api' ? 'api' : 'member')).sort()).toEqual(['api', 'member']);
  });

  it('makes one set of calls for 50 concurrent views of one ticket by one member', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await Promise.all(Array.from({ length: 50 }, () => view(loader, demoTechnician, demoTicketIds.helpDeskOpen)));
    const calls = viewCalls().map((c) => `${restPath(c.path)}?${c.search}`);
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls).toHaveLength(8);
  });
});

describe('agreements (the company’s list, on request)', () => {
  const id = demoTicketIds.helpDeskOpen;
  const companyOf = (ticketId: number) => Number((ticketRecord(ticketId)['company'] as JsonRecord)['id']);
  const agreementReads = () => restCalls().filter((c) => restPath(c.path) === 'finance/agreements');
  /** Another open ticket of the same company, so the list can be shared. */
  const sibling = () => instance().tickets.find((t) => t.id !== id && (t['company'] as JsonRecord | null)?.['id'] === companyOf(id))!.id;

  it('answers the company’s agreements in force, read after the ticket names the company', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const answer = await loader.agreements(tenant, id, {});
    expect(TicketAgreements.parse(answer)).toEqual(answer);
    if (!answer.agreements.ok) throw new Error(`the list failed: ${JSON.stringify(answer)}`);
    const rows = instance().agreements.filter((a) => (a['company'] as JsonRecord)['id'] === companyOf(id));
    // The demo company also has an expired agreement ConnectWise still lists as not cancelled.
    expect(rows.some((a) => a['agreementStatus'] === 'Expired' && a['cancelledFlag'] === false)).toBe(true);
    const inForce = rows
      .filter((a) => a['agreementStatus'] === 'Active' && a['cancelledFlag'] === false)
      .filter((a) => a['noEndingDateFlag'] === true || Date.parse(String(a['endDate'])) >= Date.now())
      .map((a) => a.id);
    expect(inForce.length).toBeGreaterThan(0);
    expect(answer.agreements.data.map((a) => a.id)).toEqual(inForce);
    expect(answer.agreements.data[0]).toMatchObject({ name: rows[0]!['name'], type: (rows[0]!['type'] as JsonRecord)['name'] });
    expect(answer.meta.fromCache).toBe(false);

    expect(restCalls().map((c) => restPath(c.path))).toEqual([`service/tickets/${id}`, 'finance/agreements']);
    const query = new URLSearchParams(agreementReads()[0]!.search);
    expect(query.get('conditions')).toBe(`company/id=${companyOf(id)} and cancelledFlag=false`);
    expect(query.get('fields')).toBeTruthy();
  });

  it('costs only the list call after the view: the ticket part is the view’s', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await loader.context(tenant, id, {});
    sim.calls.clear();
    const answer = await loader.agreements(tenant, id, {});
    expect(restCalls().map((c) => restPath(c.path))).toEqual(['finance/agreements']);
    expect(answer.agreements.ok).toBe(true);
    expect(answer.meta.fromCache).toBe(true);
  });

  it('reads the list once per company within the cache life: the company’s other tickets share it', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const first = await loader.agreements(tenant, id, {});
    sim.calls.clear();
    const again = await loader.agreements(tenant, id, {});
    expect(restCalls()).toHaveLength(0);
    expect(again).toEqual({ ...first, meta: { fetchedAt: first.meta.fetchedAt, fromCache: true } });
    const other = await loader.agreements(tenant, sibling(), {});
    expect(restCalls().map((c) => restPath(c.path))).toEqual([`service/tickets/${sibling()}`]);
    expect(other.agreements).toEqual(first.agreements);
  });

  it('reads again once the cache life has passed', async () => {
    const loader = createTicketContextLoader({ connectwise, cacheTtlMs: 20 });
    await loader.agreements(tenant, id, {});
    await new Promise((r) => setTimeout(r, 60));
    await loader.agreements(tenant, id, {});
    expect(agreementReads()).toHaveLength(2);
  });

  it('makes one list call for concurrent requests from tickets of one company', async () => {
    sim.faults.set({ kind: 'latency', ms: 50 });
    const loader = createTicketContextLoader({ connectwise });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => loader.agreements(tenant, i % 2 === 0 ? id : sibling(), {})),
    );
    for (const a of answers) expect(a.agreements).toEqual(answers[0]!.agreements);
    expect(agreementReads()).toHaveLength(1);
    const paths = restCalls().map((c) => restPath(c.path));
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('re-reads the ticket and the list with fresh, and serves the new list afterwards', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await loader.agreements(tenant, id, {});
    const active = instance().agreements.find((a) => (a['company'] as JsonRecord)['id'] === companyOf(id) && a['agreementStatus'] === 'Active')!;
    active['name'] = 'Renamed in ConnectWise';
    sim.calls.clear();
    const fresh = await loader.agreements(tenant, id, { fresh: true });
    expect(restCalls().map((c) => restPath(c.path))).toEqual([`service/tickets/${id}`, 'finance/agreements']);
    expect(fresh.meta.fromCache).toBe(false);
    expect(fresh.agreements.ok && fresh.agreements.data.map((a) => a.name)).toContain('Renamed in ConnectWise');
    sim.calls.clear();
    expect(await loader.agreements(tenant, id, {})).toMatchObject({ agreements: fresh.agreements, meta: { fromCache: true } });
    expect(restCalls()).toHaveLength(0);
  });

  it('reports ConnectWise’s refusal of the list as the section’s error, in plain words', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const answer = await loader.agreements(limitedTenant, id, {});
    expect(TicketAgreements.parse(answer)).toEqual(answer);
    expect(answer.agreements).toEqual({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/security role lacks a right/) },
    });
  });

  it('does not keep a refusal: the next request asks ConnectWise again', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await loader.agreements(limitedTenant, id, {});
    await loader.agreements(limitedTenant, id, {});
    expect(agreementReads()).toHaveLength(2);
  });

  it('reports a list ConnectWise cannot serve as unavailable', async () => {
    sim.faults.set({ kind: 'server-error', status: 500, path: '*/finance/agreements' });
    const loader = createTicketContextLoader({ connectwise });
    const answer = await loader.agreements(tenant, id, {});
    expect(answer.agreements).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('answers an empty list without a list call for a ticket without a company', async () => {
    ticketRecord(demoTicketIds.noContact)['company'] = null;
    const loader = createTicketContextLoader({ connectwise });
    const answer = await loader.agreements(tenant, demoTicketIds.noContact, {});
    expect(answer.agreements).toEqual({ ok: true, data: [] });
    expect(restCalls().map((c) => restPath(c.path))).toEqual([`service/tickets/${demoTicketIds.noContact}`]);
  });

  it('reads agreements whose fields are all null, named by their id', async () => {
    for (const a of instance().agreements.filter((a) => (a['company'] as JsonRecord)['id'] === companyOf(id))) {
      for (const key of Object.keys(a)) if (!['id', 'company', 'cancelledFlag'].includes(key)) a[key] = null;
    }
    const loader = createTicketContextLoader({ connectwise });
    const answer = await loader.agreements(tenant, id, {});
    expect(TicketAgreements.parse(answer)).toEqual(answer);
    expect(answer.agreements.ok && answer.agreements.data.every((a) => a.name === `Agreement #${a.id}`)).toBe(true);
  });

  it('fails with the ticket’s own errors: not found, or forbidden to the API member', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await expect(loader.agreements(tenant, demoTicketIds.missing, {})).rejects.toBeInstanceOf(TicketNotFoundError);
    const role = instance().securityRoles.find((r) => r.id === demoApiMember.securityRoleId)!;
    role.settings.find((s) => s.moduleIdentifier === 'ServiceDesk' && s.moduleFunctionIdentifier === 'ServiceTickets')!.inquireLevel = 'None';
    await expect(loader.agreements(tenant, id, {})).rejects.toMatchObject({ as: 'api-member' });
    expect(agreementReads()).toHaveLength(0);
  });

  it('rejects at once for an already aborted signal, without calling ConnectWise', async () => {
    const loader = createTicketContextLoader({ connectwise });
    await expect(loader.agreements(tenant, id, { signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
    expect(restCalls()).toHaveLength(0);
  });

  it('as the pod API asks (memberAccess, then agreements): two calls, the ticket read as the member', async () => {
    const loader = createTicketContextLoader({ connectwise });
    const [, answer] = await Promise.all([
      loader.memberAccess(tenant, memberCredentials(demoTechnician), id),
      loader.agreements(tenant, id, {}),
    ]);
    expect(answer.agreements.ok).toBe(true);
    expect(viewCalls().map((c) => restPath(c.path))).toEqual([`service/tickets/${id}`, 'finance/agreements']);
    expect(memberReads(id)).toHaveLength(1);
  });
});
