import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/simulator.ts';
import {
  cloudInstance,
  demoBoardIds,
  demoClientId,
  demoCompanyId,
  demoLimitedApiMember,
  demoRestrictedTechnician,
  demoTechnician,
  demoTicketIds,
} from '../../../server/simulated-connectwise/demo.ts';
import type { CwRecord, JsonRecord } from '../../../server/simulated-connectwise/world.ts';
import { apiHeaders, basic, demoBase, getJson, memberBasicHeaders, memberCookieHeaders } from './sim-fixtures.ts';

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());
beforeEach(() => sim.reset());

const demo = () => sim.world.get(demoCompanyId)!;
const limitedHeaders = () => apiHeaders({ authorization: basic(`${demoCompanyId}+${demoLimitedApiMember.publicKey}`, demoLimitedApiMember.privateKey) });
const ids = (body: unknown) => (body as JsonRecord[]).map((r) => r['id']);

describe('companyinfo', () => {
  it('answers PascalCase without auth, naming the host asked for an any-host instance', async () => {
    const r = await getJson('https://cw.example.test/login/companyinfo/Demo', {});
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      CompanyName: demo().companyName,
      Codebase: 'v4_6_release/',
      VersionCode: demo().versionCode,
      VersionNumber: demo().versionNumber,
      CompanyID: demoCompanyId,
      IsCloud: false,
      SiteUrl: 'cw.example.test',
      AllowedOrigins: demo().allowedOrigins,
    });
  });

  it('names the real region of a cloud company whichever cloud host is asked', async () => {
    const r = await getJson(`https://na.myconnectwise.net/login/companyinfo/${cloudInstance.companyId}`, {});
    expect(r.body).toMatchObject({ IsCloud: true, SiteUrl: cloudInstance.apiHost, Codebase: cloudInstance.codebase });
  });

  it('answers 200 with a null body for an unknown company', async () => {
    const r = await getJson('https://na.myconnectwise.net/login/companyinfo/nosuchcompany', {});
    expect(r).toMatchObject({ status: 200, body: null });
  });

  it('can be told to answer 404 for an unknown company instead', async () => {
    const other = createSimulatedConnectWise({ unknownCompanyInfo: 'not-found' });
    server.use(...other.handlers);
    const r = await getJson('https://na.myconnectwise.net/login/companyinfo/nosuchcompany', {});
    server.resetHandlers();
    expect(r.status).toBe(404);
  });
});

describe('tickets', () => {
  it('lists by company and open state, trimmed by fields, newest first', async () => {
    const conditions = encodeURIComponent('company/id=19298 and closedFlag=false');
    const r = await getJson(`${demoBase}/service/tickets?conditions=${conditions}&fields=id,summary,status&orderBy=id desc&pageSize=50`, apiHeaders());
    const expected = demo()
      .tickets.filter((t) => (t['company'] as JsonRecord)['id'] === 19298 && t['closedFlag'] === false)
      .map((t) => t.id)
      .sort((a, b) => b - a);
    expect(ids(r.body)).toEqual(expected);
    expect(Object.keys((r.body as JsonRecord[])[0]!)).toEqual(['id', 'summary', 'status']);
  });

  it('counts with the same conditions', async () => {
    const conditions = encodeURIComponent(`board/id in (${demoBoardIds.helpDesk},${demoBoardIds.onboarding})`);
    const r = await getJson(`${demoBase}/service/tickets/count?conditions=${conditions}`, apiHeaders());
    expect(r.body).toEqual({ count: demo().tickets.filter((t) => [1, 3].includes((t['board'] as JsonRecord)['id'] as number)).length });
  });

  it('answers one ticket, honouring fields=', async () => {
    const r = await getJson(`${demoBase}/service/tickets/${demoTicketIds.helpDeskOpen}?fields=id,board`, apiHeaders());
    expect(r.body).toEqual({ id: demoTicketIds.helpDeskOpen, board: { id: demoBoardIds.helpDesk, name: 'Help Desk' } });
  });

  it('keeps resources as a comma-separated string and stamps in _info', async () => {
    const r = await getJson(`${demoBase}/service/tickets/1004`, apiHeaders());
    const body = r.body as JsonRecord;
    expect(typeof body['resources']).toBe('string');
    expect(body['resources']).toContain(',');
    expect(body).not.toHaveProperty('dateEntered');
    expect(body['_info']).toMatchObject({ dateEntered: expect.any(String), enteredBy: expect.any(String) });
  });

  it('answers 404 for a missing ticket', async () => {
    const r = await getJson(`${demoBase}/service/tickets/${demoTicketIds.missing}`, apiHeaders());
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'NotFound' });
  });

  it('answers 400 for malformed conditions', async () => {
    const r = await getJson(`${demoBase}/service/tickets?conditions=${encodeURIComponent('company/id=')}`, apiHeaders());
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'InvalidObject' });
  });

  it('has a ticket without contact, closed tickets and SLA fields in the demo data', () => {
    const tickets = demo().tickets;
    expect(tickets.length).toBeGreaterThanOrEqual(20);
    expect(tickets.find((t) => t.id === demoTicketIds.noContact)?.['contact']).toBeNull();
    expect(tickets.find((t) => t.id === demoTicketIds.closed)?.['closedFlag']).toBe(true);
    expect(new Set(tickets.map((t) => (t['board'] as JsonRecord)['id'])).size).toBeGreaterThanOrEqual(3);
    expect(tickets.every((t) => 'sla' in t && 'isInSla' in t)).toBe(true);
  });
});

describe('ticket children', () => {
  it('lists notes of the ticket with their flags and authors', async () => {
    const r = await getJson(`${demoBase}/service/tickets/${demoTicketIds.closed}/notes`, apiHeaders());
    const notes = r.body as JsonRecord[];
    expect(notes.every((n) => n['ticketId'] === demoTicketIds.closed)).toBe(true);
    expect(notes.some((n) => n['resolutionFlag'] === true)).toBe(true);
    expect(notes.some((n) => n['detailDescriptionFlag'] === true && 'contact' in n)).toBe(true);
  });

  it('lists allNotes mixing ticket and time-entry notes', async () => {
    const r = await getJson(`${demoBase}/service/tickets/${demoTicketIds.helpDeskOpen}/allNotes`, apiHeaders());
    const kinds = new Set((r.body as JsonRecord[]).map((n) => n['noteType']));
    expect(kinds).toEqual(new Set(['TicketNote', 'TimeEntryNote']));
  });

  it('lists configuration references, then each configuration by id', async () => {
    const refs = (await getJson(`${demoBase}/service/tickets/${demoTicketIds.helpDeskOpen}/configurations`, apiHeaders())).body as JsonRecord[];
    expect(refs.length).toBeGreaterThan(0);
    const inList = encodeURIComponent(`id in (${refs.map((x) => x['id']).join(',')})`);
    const configs = (await getJson(`${demoBase}/company/configurations?conditions=${inList}`, apiHeaders())).body as JsonRecord[];
    expect(ids(configs)).toEqual(refs.map((x) => x['id']).sort());
    const one = await getJson(`${demoBase}/company/configurations/${String(refs[0]!['id'])}`, apiHeaders());
    expect(one.body).toMatchObject({ id: refs[0]!['id'], company: { id: 19298 } });
  });

  it('lists time entries of the ticket, and the same through time/entries', async () => {
    const a = await getJson(`${demoBase}/service/tickets/${demoTicketIds.helpDeskOpen}/timeentries`, apiHeaders());
    const conditions = encodeURIComponent(`chargeToId=${demoTicketIds.helpDeskOpen} and chargeToType="ServiceTicket"`);
    const b = await getJson(`${demoBase}/time/entries?conditions=${conditions}`, apiHeaders());
    expect(ids(a.body).length).toBeGreaterThan(0);
    expect(ids(b.body)).toEqual(ids(a.body));
  });

  it('answers 404 for children of a missing ticket', async () => {
    expect((await getJson(`${demoBase}/service/tickets/${demoTicketIds.missing}/notes`, apiHeaders())).status).toBe(404);
  });
});

describe('companies, contacts, agreements, boards', () => {
  it('answers a company and a contact with communication items', async () => {
    const company = (await getJson(`${demoBase}/company/companies/19298`, apiHeaders())).body as JsonRecord;
    expect(company).toMatchObject({ identifier: 'ContosoDental', types: [{ name: 'Client' }], status: { name: 'Active' } });
    const contact = (await getJson(`${demoBase}/company/contacts/3201`, apiHeaders())).body as JsonRecord;
    const items = contact['communicationItems'] as JsonRecord[];
    expect(items.map((i) => (i['type'] as JsonRecord)['name'])).toEqual(['Direct', 'Mobile', 'Email']);
    expect(items.map((i) => i['communicationType'])).toEqual(['Phone', 'Phone', 'Email']);
  });

  it('filters agreements on company and cancelledFlag', async () => {
    const conditions = encodeURIComponent('company/id=19301 and cancelledFlag=false');
    const r = await getJson(`${demoBase}/finance/agreements?conditions=${conditions}&fields=id,name,type`, apiHeaders());
    const expected = demo().agreements.filter((a) => (a['company'] as JsonRecord)['id'] === 19301 && a['cancelledFlag'] === false);
    expect(ids(r.body)).toEqual(expected.map((a) => a.id));
    expect(demo().agreements.some((a) => a['cancelledFlag'] === true)).toBe(true);
  });

  it('lists boards and their statuses', async () => {
    const boards = await getJson(`${demoBase}/service/boards`, apiHeaders());
    expect(ids(boards.body)).toEqual([1, 2, 3]);
    const statuses = (await getJson(`${demoBase}/service/boards/1/statuses`, apiHeaders())).body as JsonRecord[];
    expect(statuses.some((s) => s['closedStatus'] === true)).toBe(true);
    expect(statuses.every((s) => (s['board'] as JsonRecord)['id'] === 1)).toBe(true);
  });

  it('answers 404 for an endpoint ConnectWise does not have', async () => {
    expect((await getJson(`${demoBase}/service/nothing`, apiHeaders())).status).toBe(404);
  });
});

describe('security roles and permissions', () => {
  it('answers 403 in ConnectWise shape when the role lacks the right', async () => {
    const r = await getJson(`${demoBase}/finance/agreements`, limitedHeaders());
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ code: 'Security', message: 'You do not have security permission to perform this action.' });
    expect((await getJson(`${demoBase}/service/tickets/count`, limitedHeaders())).status).toBe(200);
  });

  it('answers 403 as soon as the world takes a right away', async () => {
    const role = demo().securityRoles.find((r) => r.name === 'Pod API')!;
    role.settings.find((s) => s.moduleFunctionName === 'Service Tickets')!.inquireLevel = 'None';
    expect((await getJson(`${demoBase}/service/tickets/1001`, apiHeaders())).status).toBe(403);
  });

  it("lists the caller's own rows with the member in system/mySecurity", async () => {
    const rows = (await getJson(`${demoBase}/system/mySecurity`, limitedHeaders())).body as JsonRecord[];
    const agreements = rows.find((r) => r['moduleFunctionName'] === 'Agreements');
    expect(agreements).toMatchObject({ inquireLevel: 'None', member: { identifier: demoLimitedApiMember.identifier } });
  });

  it('answers role settings only under the spec casing securityRoles', async () => {
    const admin = memberBasicHeaders({ ...demoTechnician, identifier: 'admin1', memberHash: demo().members.find((m) => m.identifier === 'admin1')!.memberHashes[0]! });
    const spec = await getJson(`${demoBase}/system/securityRoles/30/settings`, admin);
    expect(spec.status).toBe(200);
    expect((spec.body as JsonRecord[])[0]).toEqual(expect.objectContaining({ addLevel: expect.stringMatching(/^(None|My|All)$/), moduleFunctionIdentifier: expect.any(String) }));
    expect((await getJson(`${demoBase}/system/securityroles/30/settings`, admin)).status).toBe(404);
  });

  it('refuses member listing to the pod API role (it uses mySecurity instead)', async () => {
    expect((await getJson(`${demoBase}/system/members?conditions=${encodeURIComponent('identifier="podapi"')}`, apiHeaders())).status).toBe(403);
  });

  it('finds the API member by identifier for a role that may list members', async () => {
    demo().securityRoles.find((r) => r.name === 'Pod API')!.settings.find((s) => s.moduleFunctionName === 'Member Maintenance')!.inquireLevel = 'All';
    const list = await getJson(`${demoBase}/system/members?conditions=${encodeURIComponent('identifier="podapi"')}`, apiHeaders());
    expect(list.body).toEqual([expect.objectContaining({ identifier: 'podapi', securityRole: { id: 30, name: 'Pod API' } })]);
    expect((await getJson(`${demoBase}/system/members/podapi`, apiHeaders())).body).toMatchObject({ identifier: 'podapi' });
  });
});

describe('member board restriction', () => {
  it('lets a member read a ticket on a board they see', async () => {
    const r = await getJson(`${demoBase}/service/tickets/${demoTicketIds.helpDeskOpen}?fields=id,board`, memberCookieHeaders(demoRestrictedTechnician));
    expect(r.status).toBe(200);
  });

  it('answers 403 for a ticket on a board the member cannot see', async () => {
    const r = await getJson(`${demoBase}/service/tickets/${demoTicketIds.networkOpsOpen}?fields=id,board`, memberCookieHeaders(demoRestrictedTechnician));
    expect(r.status).toBe(403);
    expect((await getJson(`${demoBase}/service/tickets/${demoTicketIds.networkOpsOpen}`, memberCookieHeaders(demoTechnician))).status).toBe(200);
  });

  it('still answers 404 for a missing ticket', async () => {
    expect((await getJson(`${demoBase}/service/tickets/${demoTicketIds.missing}`, memberBasicHeaders(demoRestrictedTechnician))).status).toBe(404);
  });

  it('leaves tickets of hidden boards out of lists', async () => {
    const r = await getJson(`${demoBase}/service/tickets?pageSize=1000&fields=id,board`, memberCookieHeaders(demoRestrictedTechnician));
    const boards = new Set((r.body as JsonRecord[]).map((t) => (t['board'] as JsonRecord)['id']));
    expect([...boards]).toEqual([demoBoardIds.helpDesk]);
  });
});

describe('Hosted API setups', () => {
  const setups = `${demoBase}/system/connectwisehostedsetups`;
  const valid = {
    screenId: 4,
    description: 'Ticket context',
    url: 'https://pod.example.com/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]',
    type: 'Pod',
    origin: 'https://pod.example.com',
    podHeight: 900,
  };
  const send = async (method: string, url: string, body: unknown) => {
    const response = await fetch(url, { method, headers: { ...apiHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as JsonRecord) };
  };

  it('creates, reads, lists, counts, replaces, patches and deletes a setup', async () => {
    const created = await send('POST', setups, { ...valid, id: 5 });
    expect(created.status).toBe(201);
    const id = created.body!['id'] as number;
    expect(id).not.toBe(5);
    expect(created.body).toMatchObject({ ...valid, createdBy: 'podapi', screen: { name: 'ServiceTicket' } });

    expect((await getJson(`${setups}/${id}`, apiHeaders())).body).toMatchObject({ id, url: valid.url });
    const conditions = encodeURIComponent('screenId=4 and type="Pod"');
    expect(ids((await getJson(`${setups}?conditions=${conditions}`, apiHeaders())).body)).toEqual([id]);
    expect((await getJson(`${setups}/count`, apiHeaders())).body).toEqual({ count: 1 });

    const replaced = await send('PUT', `${setups}/${id}`, { ...valid, podHeight: 700 });
    expect(replaced.body).toMatchObject({ id, podHeight: 700 });
    const patched = await send('PATCH', `${setups}/${id}`, [{ op: 'replace', path: 'origin', value: 'https://pod2.example.com' }]);
    expect(patched.body).toMatchObject({ id, origin: 'https://pod2.example.com', podHeight: 700 });

    // The pod's role may add and edit setups but not delete them.
    expect((await fetch(`${setups}/${id}`, { method: 'DELETE', headers: apiHeaders() })).status).toBe(403);
    demo().securityRoles.find((r) => r.name === 'Pod API')!.settings.find((s) => s.moduleFunctionName === 'Manage Hosted API')!.deleteLevel = 'All';
    expect((await fetch(`${setups}/${id}`, { method: 'DELETE', headers: apiHeaders() })).status).toBe(204);
    expect((await getJson(`${setups}/${id}`, apiHeaders())).status).toBe(404);
  });

  it('answers 400 in ConnectWise shape naming each invalid field', async () => {
    const r = await send('POST', setups, { ...valid, description: 'x'.repeat(51), url: undefined, type: 'Window', origin: 'o'.repeat(101) });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'InvalidObject' });
    const fields = (r.body!['errors'] as JsonRecord[]).map((e) => e['field']).sort();
    expect(fields).toEqual(['description', 'origin', 'type', 'url']);
    expect(demo().hostedSetups).toEqual([]);
  });

  it('validates patches too', async () => {
    const id = (await send('POST', setups, valid)).body!['id'] as number;
    const r = await send('PATCH', `${setups}/${id}`, [{ op: 'replace', path: 'url', value: 'u'.repeat(1025) }]);
    expect(r.status).toBe(400);
    expect((r.body!['errors'] as JsonRecord[])[0]).toMatchObject({ field: 'url', code: 'MaxLengthExceeded' });
  });

  it('needs Add on Manage Hosted API to create', async () => {
    const role = demo().securityRoles.find((r) => r.name === 'Pod API')!;
    role.settings.find((s) => s.moduleFunctionName === 'Manage Hosted API')!.addLevel = 'None';
    expect((await send('POST', setups, valid)).status).toBe(403);
  });

  it('lists hosted screens and the screen report', async () => {
    const screens = (await getJson(`${demoBase}/system/connectWiseHostedScreens`, apiHeaders())).body as JsonRecord[];
    expect(screens.find((s) => s['name'] === 'ServiceTicket')).toMatchObject({ screenId: 4 });
    const conditions = encodeURIComponent('Client_Api_ID="ServiceTicket"');
    const report = (await getJson(`${demoBase}/system/reports/ConnectWiseHostedApiScreen?conditions=${conditions}`, apiHeaders())).body as JsonRecord;
    expect(report['row_values']).toEqual([[4, 'ServiceTicket']]);
    expect((report['column_definitions'] as JsonRecord[]).map((c) => Object.keys(c)[0])).toEqual(['Presenter_Identifier_Client_Api_RecID', 'Client_Api_ID']);
  });
});

describe('faults in process', () => {
  const url = `${demoBase}/service/tickets/${demoTicketIds.helpDeskOpen}`;

  it('answers 429 with Retry-After for the next request only', async () => {
    sim.faults.set({ kind: 'rate-limit', retryAfterSeconds: 7, count: 1 });
    const first = await fetch(url, { headers: apiHeaders() });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await fetch(url, { headers: apiHeaders() })).status).toBe(200);
  });

  it('answers 500 in ConnectWise shape and 502/503 as gateway HTML', async () => {
    sim.faults.set([{ kind: 'server-error', status: 500, count: 1 }, { kind: 'server-error', status: 503, count: 1 }]);
    const a = await fetch(url, { headers: apiHeaders() });
    expect(a.status).toBe(500);
    expect(await a.json()).toMatchObject({ code: 'UnexpectedError' });
    const b = await fetch(url, { headers: apiHeaders() });
    expect(b.status).toBe(503);
    expect(b.headers.get('content-type')).toContain('text/html');
  });

  it('answers an HTML login page with 200', async () => {
    sim.faults.set({ kind: 'html-login', path: 'service/tickets/*' });
    const r = await fetch(url, { headers: apiHeaders() });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(await r.text()).toContain('<form');
  });

  it('answers malformed and truncated JSON', async () => {
    sim.faults.set([{ kind: 'malformed-json', count: 1 }, { kind: 'truncated-json', count: 1 }]);
    await expect((await fetch(url, { headers: apiHeaders() })).json()).rejects.toThrow();
    const truncated = await fetch(url, { headers: apiHeaders() });
    const text = await truncated.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(text.startsWith(`{"id":${demoTicketIds.helpDeskOpen}`)).toBe(true);
  });

  it('resets the connection', async () => {
    sim.faults.set({ kind: 'reset', count: 1 });
    await expect(fetch(url, { headers: apiHeaders() })).rejects.toThrow();
    expect(sim.calls.list().at(-1)).toMatchObject({ status: 0, fault: 'reset' });
  });

  it('hangs on a timeout until the caller aborts', async () => {
    sim.faults.set({ kind: 'timeout', path: 'service/tickets/*' });
    const controller = new AbortController();
    const pending = fetch(url, { headers: apiHeaders(), signal: controller.signal });
    await expect.poll(() => sim.faults.hangingCount()).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => sim.calls.list().at(-1)?.status).toBe(0);
  });

  it('leaves requests on other paths alone', async () => {
    sim.faults.set({ kind: 'reset', path: 'company/companies/*' });
    expect((await fetch(url, { headers: apiHeaders() })).status).toBe(200);
  });
});

describe('call log', () => {
  it('logs each answer with host, path, query, auth kind and status, and no secret', async () => {
    await getJson(`${demoBase}/service/tickets?pageSize=2`, apiHeaders());
    await getJson(`${demoBase}/system/myMembers/info`, memberCookieHeaders(demoTechnician, { hash: 'forged' }));
    const calls = sim.calls.list();
    expect(calls).toEqual([
      expect.objectContaining({ method: 'GET', host: 'cw.example.test', path: '/v4_6_release/apis/3.0/service/tickets', search: '?pageSize=2', auth: 'api', status: 200, fault: null }),
      expect.objectContaining({ path: '/v4_6_release/apis/3.0/system/myMembers/info', auth: 'member-cookie', status: 401 }),
    ]);
    const text = JSON.stringify(calls);
    expect(text).not.toContain(demoTechnician.memberHash);
    expect(text).not.toContain(demoClientId);
  });

  it('is emptied by reset, which also restores the data', async () => {
    demo().tickets = [] as CwRecord[];
    await getJson(`${demoBase}/service/tickets/count`, apiHeaders());
    sim.reset();
    expect(sim.calls.list()).toEqual([]);
    expect(demo().tickets.length).toBeGreaterThan(0);
  });
});
