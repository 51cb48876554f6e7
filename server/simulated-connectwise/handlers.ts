import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type { AuthKind, Caller } from './auth.ts';
import type { CallLog } from './call-log.ts';
import type { FaultController } from './fault-controller.ts';
import type { SecurityFunctionKey } from './fixtures/security.ts';
import type { Action } from './permissions.ts';
import type { CwRecord, Instance, Json, JsonRecord, World } from './world.ts';
import { authenticate, authKindOf } from './auth.ts';
import { badRequest, cwError, forbidden, notFound, unauthorized } from './cw-errors.ts';
import { validateHostedSetup, writableFields } from './hosted-setup-validation.ts';
import { filterRecords, listPage, ListQueryError, project } from './list-query.ts';
import { callerIdentifier, levelFor, visibleBoards } from './permissions.ts';
import { instanceServesHost } from './world.ts';
import { missingEndpoint, withCodeOnlyErrors, withNullReferences } from './tolerance-faults.ts';

/** How companyinfo answers an unknown company (ConnectWise's behaviour is unconfirmed). */
export type UnknownCompanyInfo = 'null' | 'nulls-object' | 'not-found';

export type HandlerContext = {
  world: World;
  faults: FaultController;
  calls: CallLog;
  unknownCompanyInfo: UnknownCompanyInfo;
};

type RestContext = {
  request: Request;
  url: URL;
  params: Record<string, string>;
  caller: Caller;
  instance: Instance;
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type RestRoute = {
  method: Method;
  /** Path after `/apis/3.0/`, msw syntax (`service/tickets/:id`). */
  path: string;
  permission: { key: SecurityFunctionKey; action: Action } | null;
  /** Answer 404 unless the literal segments match in case too. */
  exactCase?: boolean;
  handle: (ctx: RestContext) => Response | Promise<Response>;
};

const cloudDomains = ['myconnectwise.net', 'connectwisedev.com', 'connectwise.net'];
const isCloudHost = (host: string) => cloudDomains.some((d) => host === d || host.endsWith(`.${d}`));

const json = (body: Json, init?: { status?: number; headers?: Record<string, string> }) =>
  HttpResponse.json(body, { status: init?.status ?? 200, headers: init?.headers ?? {} });

const toParams = (params: Record<string, string | readonly string[] | undefined>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') out[k] = v;
  return out;
};

const idParam = (raw: string | undefined): number | null => (raw !== undefined && /^\d{1,10}$/.test(raw) ? Number(raw) : null);

function exactPathRegExp(path: string): RegExp {
  const body = path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`/apis/3\\.0/${body}/?$`);
}

const htmlLoginPage = `<!DOCTYPE html>
<html><head><title>ConnectWise Manage - Login</title></head>
<body><form method="post" action="/v4_6_release/login/login.aspx"><h1>Sign in to ConnectWise</h1>
<label>Company <input name="company"></label><label>Username <input name="username"></label>
<label>Password <input type="password" name="password"></label><button>Login</button></form></body></html>`;

const gatewayPage = (status: number) =>
  `<html><head><title>${status} ${status === 502 ? 'Bad Gateway' : 'Service Unavailable'}</title></head><body><center><h1>${status} ${status === 502 ? 'Bad Gateway' : 'Service Unavailable'}</h1></center></body></html>`;

export function createHandlers(ctx: HandlerContext): HttpHandler[] {
  const { world, faults, calls } = ctx;

  /** Applies faults, runs the real answer, and logs the request. */
  async function answer(request: Request, run: () => Promise<{ response: Response; authKind: AuthKind }>): Promise<Response> {
    const url = new URL(request.url);
    const decision = faults.take(request.method, url.pathname);
    if (decision.latencyMs > 0) await delay(decision.latencyMs);
    const log = (status: number, auth: AuthKind, fault: string | null) =>
      calls.record({
        method: request.method.toUpperCase(),
        host: url.host.toLowerCase(),
        path: url.pathname,
        search: url.search,
        auth,
        status,
        fault,
        at: new Date().toISOString(),
      });
    const fault = decision.fault;
    if (fault === null) {
      const { response, authKind } = await run();
      log(response.status, authKind, null);
      return response;
    }
    const authKind = authKindOf(request, world);
    switch (fault.kind) {
      case 'timeout':
        await faults.hang(request.signal);
        log(0, authKind, fault.kind);
        return HttpResponse.error();
      case 'reset':
        log(0, authKind, fault.kind);
        return HttpResponse.error();
      case 'rate-limit': {
        log(429, authKind, fault.kind);
        const retryAfter = String(fault.retryAfterSeconds ?? 1);
        return HttpResponse.json(
          { code: 'TooManyRequests', message: 'The server is over capacity. Please retry later.' },
          { status: 429, headers: { 'Retry-After': retryAfter } },
        );
      }
      case 'server-error':
        log(fault.status, authKind, fault.kind);
        if (fault.status === 500) return cwError(500, 'UnexpectedError', 'An unexpected error has occurred.');
        // A load balancer in front of ConnectWise answers 502/503 with its own HTML.
        return new HttpResponse(gatewayPage(fault.status), { status: fault.status, headers: { 'Content-Type': 'text/html' } });
      case 'html-login':
        log(200, authKind, fault.kind);
        return new HttpResponse(htmlLoginPage, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      case 'malformed-json':
        log(200, authKind, fault.kind);
        return new HttpResponse('{"id": 1001, "summary": "Front desk printer", , "board": {id: 1}', {
          status: 200,
          headers: { 'Content-Type': 'application/json; charset=utf-8' },
        });
      case 'null-references':
      case 'code-only-errors': {
        const real = await run();
        log(real.response.status, real.authKind, fault.kind);
        return fault.kind === 'null-references' ? withNullReferences(real.response) : withCodeOnlyErrors(real.response);
      }
      case 'missing-endpoint':
        log(404, authKind, fault.kind);
        return missingEndpoint();
      case 'truncated-json': {
        const real = await run();
        const text = await real.response.text();
        const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        log(real.response.status, real.authKind, fault.kind);
        return new HttpResponse(cut, { status: real.response.status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
      }
    }
  }

  function rest(route: RestRoute): HttpHandler {
    const exact = route.exactCase === true ? exactPathRegExp(route.path) : null;
    return http[route.method](`*/:codebase/apis/3.0/${route.path}`, ({ request, params }) =>
      answer(request, async () => {
        const url = new URL(request.url);
        if (exact !== null && !exact.test(url.pathname)) {
          return { response: notFound('The requested resource was not found.'), authKind: authKindOf(request, world) };
        }
        const auth = authenticate(request, world);
        if (!auth.ok) return { response: unauthorized(auth.message), authKind: auth.authKind };
        const caller = auth.caller;
        if (route.permission !== null && levelFor(caller, route.permission.key, route.permission.action) === 'None') {
          return { response: forbidden(), authKind: auth.authKind };
        }
        try {
          const response = await route.handle({ request, url, params: toParams(params), caller, instance: caller.instance });
          return { response, authKind: auth.authKind };
        } catch (e) {
          if (e instanceof ListQueryError) return { response: badRequest(e.message), authKind: auth.authKind };
          throw e;
        }
      }),
    );
  }

  const listResponse = (records: JsonRecord[], url: URL) => {
    const page = listPage(records, url);
    return json(page.items, page.link === null ? undefined : { headers: { Link: page.link } });
  };
  const countResponse = (records: JsonRecord[], url: URL) => json({ count: filterRecords(records, url).length });
  const one = (record: JsonRecord, url: URL) => json(project(record, url.searchParams.get('fields')));

  // --- visibility rules -------------------------------------------------------------------
  const isMine = (caller: Caller, ticket: CwRecord) => {
    const me = callerIdentifier(caller).toLowerCase();
    const owner = ticket['owner'];
    const ownerId = owner !== null && typeof owner === 'object' && !Array.isArray(owner) ? owner['identifier'] : null;
    const resources = typeof ticket['resources'] === 'string' ? ticket['resources'].split(',').map((r) => r.trim().toLowerCase()) : [];
    return (typeof ownerId === 'string' && ownerId.toLowerCase() === me) || resources.includes(me);
  };
  const boardIdOf = (ticket: CwRecord): number | null => {
    const board = ticket['board'];
    return board !== null && typeof board === 'object' && !Array.isArray(board) && typeof board['id'] === 'number' ? board['id'] : null;
  };
  const canSeeTicket = (caller: Caller, ticket: CwRecord) => {
    const boards = visibleBoards(caller);
    const boardId = boardIdOf(ticket);
    if (boards !== 'all' && (boardId === null || !boards.includes(boardId))) return false;
    if (levelFor(caller, 'ServiceDesk/ServiceTickets', 'inquire') === 'My' && !isMine(caller, ticket)) return false;
    return true;
  };
  const visibleTickets = (c: RestContext) => c.instance.tickets.filter((t) => canSeeTicket(c.caller, t));

  /** Finds the parent ticket: 404 when missing, 403 when the caller may not see it. */
  const withTicket = (c: RestContext, then: (ticket: CwRecord) => Response | Promise<Response>) => {
    const id = idParam(c.params['id']);
    const ticket = id === null ? undefined : c.instance.tickets.find((t) => t.id === id);
    if (ticket === undefined) return notFound(`Ticket Id ${c.params['id'] ?? ''} not found`);
    if (!canSeeTicket(c.caller, ticket)) return forbidden();
    return then(ticket);
  };

  const byId = (records: CwRecord[], name: string, c: RestContext, key = 'id') => {
    const id = idParam(c.params[key]);
    const record = id === null ? undefined : records.find((r) => r.id === id);
    return record === undefined ? notFound(`${name} Id ${c.params[key] ?? ''} not found`) : one(record, c.url);
  };

  // --- records built on demand ----------------------------------------------------------------
  const memberRecord = (instance: Instance, m: Instance['members'][number]): CwRecord => {
    const role = instance.securityRoles.find((r) => r.id === m.securityRoleId);
    return {
      id: m.id,
      identifier: m.identifier,
      firstName: m.firstName,
      lastName: m.lastName,
      title: m.title,
      primaryEmail: m.email,
      officeEmail: m.email,
      inactiveFlag: m.inactive,
      licenseClass: m.licenseClass,
      securityRole: role === undefined ? null : { id: role.id, name: role.name },
      adminFlag: role?.name === 'Admin',
      defaultLocation: { id: 2, name: 'Tampa Office' },
      defaultDepartment: { id: 10, identifier: 'Services', name: 'Services' },
      serviceDefaultBoard: m.boards === 'all' ? { id: 1, name: 'Help Desk' } : m.boards[0] === undefined ? null : { id: m.boards[0], name: instance.boards.find((b) => b.id === m.boards[0])?.['name'] ?? '' },
      ...(m.sendsExcludedBoards === false ? {} : { excludedServiceBoardIds: excludedBoards(instance, m) }),
      timeZone: { id: 1, name: m.timeZone },
      _info: { lastUpdated: '2026-01-05T14:00:00Z', updatedBy: 'admin1' },
    };
  };
  const apiMemberRecord = (instance: Instance, a: Instance['apiMembers'][number]): CwRecord => {
    const role = instance.securityRoles.find((r) => r.id === a.securityRoleId);
    return {
      id: a.id,
      identifier: a.identifier,
      firstName: a.firstName,
      lastName: a.lastName,
      title: null,
      primaryEmail: a.email,
      officeEmail: a.email,
      inactiveFlag: a.inactive,
      // API members carry no user licence; the letter ConnectWise reports for them is unconfirmed.
      licenseClass: 'A',
      securityRole: role === undefined ? null : { id: role.id, name: role.name },
      adminFlag: false,
      defaultLocation: { id: 2, name: 'Tampa Office' },
      defaultDepartment: { id: 10, identifier: 'Services', name: 'Services' },
      serviceDefaultBoard: null,
      timeZone: { id: 1, name: 'US Eastern' },
      _info: { lastUpdated: '2026-01-05T14:00:00Z', updatedBy: 'admin1' },
    };
  };
  /** The Member record's `excludedServiceBoardIds`: every board the member may not see. */
  const excludedBoards = (instance: Instance, m: Instance['members'][number]): number[] =>
    m.boards === 'all' ? [] : instance.boards.filter((b) => !(m.boards as number[]).includes(b.id)).map((b) => b.id);
  const allMembers = (instance: Instance) => [
    ...instance.members.map((m) => memberRecord(instance, m)),
    ...instance.apiMembers.map((a) => apiMemberRecord(instance, a)),
  ];
  const callerRecord = (c: RestContext) =>
    c.caller.kind === 'api' ? apiMemberRecord(c.instance, c.caller.apiMember) : memberRecord(c.instance, c.caller.member);

  const myMemberInfo = (c: RestContext): JsonRecord => {
    const r = callerRecord(c);
    return {
      id: r.id,
      identifier: r['identifier'] ?? null,
      firstName: r['firstName'] ?? null,
      lastName: r['lastName'] ?? null,
      fullName: `${String(r['firstName'])} ${String(r['lastName'])}`,
      defaultEmail: r['primaryEmail'] ?? null,
      inactiveFlag: r['inactiveFlag'] ?? false,
      licenseClass: r['licenseClass'] ?? null,
      timeZone: r['timeZone'] ?? null,
      defaultLocation: r['defaultLocation'] ?? null,
      defaultDepartment: r['defaultDepartment'] ?? null,
      serviceDefaultBoard: r['serviceDefaultBoard'] ?? null,
      // Present on members (a .NET client of system/myMembers/info requires it); API members have none.
      ...(r['excludedServiceBoardIds'] !== undefined ? { excludedServiceBoardIds: r['excludedServiceBoardIds'] } : {}),
      _info: r['_info'] ?? null,
    };
  };

  const allNotes = (instance: Instance, ticket: CwRecord): CwRecord[] => {
    const ticketRef = { id: ticket.id, summary: ticket['summary'] ?? '' };
    const ticketNotes: CwRecord[] = instance.notes
      .filter((n) => n['ticketId'] === ticket.id)
      .map((n) => ({
        id: n.id,
        noteType: 'TicketNote',
        ticket: ticketRef,
        text: n['text'] ?? '',
        isMarkdownFlag: false,
        detailDescriptionFlag: n['detailDescriptionFlag'] ?? false,
        internalAnalysisFlag: n['internalAnalysisFlag'] ?? false,
        resolutionFlag: n['resolutionFlag'] ?? false,
        timeStart: null,
        timeEnd: null,
        originalAuthor: n['createdBy'] ?? null,
        member: n['member'] ?? null,
        contact: n['contact'] ?? null,
        _info: { ...((n['_info'] as JsonRecord | undefined) ?? {}), dateEntered: n['dateCreated'] ?? null },
      }));
    const timeNotes: CwRecord[] = instance.timeEntries
      .filter((t) => t['chargeToId'] === ticket.id && t['chargeToType'] === 'ServiceTicket' && typeof t['notes'] === 'string')
      .map((t) => ({
        id: t.id,
        noteType: 'TimeEntryNote',
        ticket: ticketRef,
        text: t['notes'] ?? '',
        isMarkdownFlag: false,
        detailDescriptionFlag: t['addToDetailDescriptionFlag'] ?? false,
        internalAnalysisFlag: t['addToInternalAnalysisFlag'] ?? false,
        resolutionFlag: t['addToResolutionFlag'] ?? false,
        timeStart: t['timeStart'] ?? null,
        timeEnd: t['timeEnd'] ?? null,
        originalAuthor: t['enteredBy'] ?? null,
        member: t['member'] ?? null,
        contact: null,
        _info: (t['_info'] as JsonRecord | undefined) ?? null,
      }));
    // Mixed note kinds come back in entry order (by time), whatever orderBy says: reportedly
    // allNotes ignores orderBy (TicketWise, unconfirmed), so the simulator does too.
    return [...ticketNotes, ...timeNotes].sort((a, b) => {
      const da = String((a['_info'] as JsonRecord | null)?.['dateEntered'] ?? a['timeStart'] ?? '');
      const db = String((b['_info'] as JsonRecord | null)?.['dateEntered'] ?? b['timeStart'] ?? '');
      return da < db ? -1 : da > db ? 1 : a.id - b.id;
    });
  };

  const readJsonBody = async (request: Request): Promise<JsonRecord | Json[] | null> => {
    try {
      const body: unknown = await request.json();
      return body !== null && typeof body === 'object' ? (body as JsonRecord | Json[]) : null;
    } catch {
      return null;
    }
  };

  const stampSetup = (c: RestContext, body: JsonRecord, existing?: CwRecord): CwRecord => {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const who = callerIdentifier(c.caller);
    const id = existing?.id ?? c.instance.nextId++;
    const screenId = body['screenId'];
    const screen = c.instance.hostedScreens.find((s) => s.screenId === screenId);
    return {
      disabledFlag: false,
      locationsEnabledFlag: false,
      locationIds: [],
      podHeight: null,
      origin: null,
      clientId: null,
      ...body,
      id,
      screen: screen === undefined ? null : { id: screen.id, name: screen.name },
      createdBy: existing?.['createdBy'] ?? who,
      dateCreated: existing?.['dateCreated'] ?? now,
      _info: { lastUpdated: now, updatedBy: who },
    };
  };

  const validationFailed = (errors: ReturnType<typeof validateHostedSetup>) =>
    badRequest('connectWiseHostedSetup object is invalid', errors);

  const hostedSetupById = (c: RestContext) => {
    const id = idParam(c.params['id']);
    return id === null ? undefined : c.instance.hostedSetups.find((s) => s.id === id);
  };

  /** PUT and PATCH: validate the resulting row like ConnectWise, then store it in place. */
  const replaceSetup = (c: RestContext, existing: CwRecord, fields: JsonRecord) => {
    const errors = validateHostedSetup(fields, c.instance.hostedScreens.map((s) => s.screenId));
    if (errors.length > 0) return validationFailed(errors);
    const updated = stampSetup(c, fields, existing);
    c.instance.hostedSetups = c.instance.hostedSetups.map((s) => (s.id === existing.id ? updated : s));
    return json(updated);
  };

  const P = (key: SecurityFunctionKey, action: Action = 'inquire') => ({ key, action });

  const routes: RestRoute[] = [
    // --- system -------------------------------------------------------------------------------
    {
      method: 'get',
      path: 'system/info',
      permission: null,
      handle: (c) => {
        const hosts = c.instance.hosts;
        const region = hosts.kind === 'fixed' ? (/^api-([a-z]+)\./.exec(hosts.apiHost)?.[1] ?? null) : null;
        return json({
          version: `${c.instance.versionCode}.${c.instance.versionNumber.split('.').pop() ?? '0'}`,
          isCloud: c.instance.isCloud,
          serverTimeZone: c.instance.serverTimeZone,
          licenseBits: [
            { name: 'Service', activeFlag: true },
            { name: 'Project', activeFlag: true },
            { name: 'Sales', activeFlag: false },
          ],
          cloudRegion: region === null ? null : region.toUpperCase(),
          maxWorkFlowRecordsAllowed: 1000,
        });
      },
    },
    { method: 'get', path: 'system/myMembers/info', permission: null, handle: (c) => json(myMemberInfo(c)) },
    {
      method: 'get',
      path: 'system/myMembers',
      permission: null,
      handle: (c) => {
        const r = callerRecord(c);
        return json({ ...myMemberInfo(c), securityRole: r['securityRole'] ?? null, adminFlag: r['adminFlag'] ?? false, securityLocation: { id: 2, name: 'Tampa Office' } });
      },
    },
    {
      method: 'get',
      path: 'system/mySecurity',
      permission: null,
      handle: (c) => {
        const r = callerRecord(c);
        const member = { id: r.id, identifier: r['identifier'] ?? '', name: `${String(r['firstName'])} ${String(r['lastName'])}` };
        // For members, "My" is spelled "Mine" here (the 2025.8 MySecurity model's example);
        // security-role settings keep "My". Clients must accept both.
        const mine = (level: string) => (c.caller.kind === 'member' && level === 'My' ? 'Mine' : level);
        const rows = (c.caller.role?.settings ?? []).map((s) => ({
          ...s,
          addLevel: mine(s.addLevel),
          editLevel: mine(s.editLevel),
          deleteLevel: mine(s.deleteLevel),
          inquireLevel: mine(s.inquireLevel),
          member,
        }));
        return listResponse(rows, c.url);
      },
    },
    { method: 'get', path: 'system/members/count', permission: P('System/MemberMaintenance'), handle: (c) => countResponse(allMembers(c.instance), c.url) },
    { method: 'get', path: 'system/members', permission: P('System/MemberMaintenance'), handle: (c) => listResponse(allMembers(c.instance), c.url) },
    {
      method: 'get',
      path: 'system/members/:identifier',
      permission: P('System/MemberMaintenance'),
      handle: (c) => {
        const key = (c.params['identifier'] ?? '').toLowerCase();
        const m = allMembers(c.instance).find((r) => String(r['identifier']).toLowerCase() === key || String(r.id) === key);
        return m === undefined ? notFound(`Member ${c.params['identifier'] ?? ''} not found`) : one(m, c.url);
      },
    },
    {
      method: 'get',
      path: 'system/securityRoles/:id',
      permission: P('System/SecurityRoles'),
      exactCase: true,
      handle: (c) => {
        const role = c.instance.securityRoles.find((r) => r.id === idParam(c.params['id']));
        return role === undefined ? notFound(`Security Role Id ${c.params['id'] ?? ''} not found`) : one({ id: role.id, name: role.name, roleType: 'Corporate', adminFlag: role.name === 'Admin' }, c.url);
      },
    },
    {
      method: 'get',
      path: 'system/securityRoles/:id/settings',
      permission: P('System/SecurityRoles'),
      // Whether ConnectWise cares about the casing is unconfirmed; answering only the spec's
      // casing exercises clients' "try the other casing once" path.
      exactCase: true,
      handle: (c) => {
        const role = c.instance.securityRoles.find((r) => r.id === idParam(c.params['id']));
        return role === undefined ? notFound(`Security Role Id ${c.params['id'] ?? ''} not found`) : listResponse(role.settings, c.url);
      },
    },

    // --- service: boards -----------------------------------------------------------------------
    {
      method: 'get',
      path: 'service/boards',
      permission: P('System/TableSetup'),
      handle: (c) => {
        const boards = visibleBoards(c.caller);
        return listResponse(c.instance.boards.filter((b) => boards === 'all' || boards.includes(b.id)), c.url);
      },
    },
    {
      method: 'get',
      path: 'service/boards/:id',
      permission: P('System/TableSetup'),
      handle: (c) => {
        const boards = visibleBoards(c.caller);
        const id = idParam(c.params['id']);
        if (id !== null && boards !== 'all' && !boards.includes(id) && c.instance.boards.some((b) => b.id === id)) return forbidden();
        return byId(c.instance.boards, 'Board', c);
      },
    },
    {
      method: 'get',
      path: 'service/boards/:id/statuses',
      permission: P('System/TableSetup'),
      handle: (c) => {
        const id = idParam(c.params['id']);
        if (id === null || !c.instance.boards.some((b) => b.id === id)) return notFound(`Board Id ${c.params['id'] ?? ''} not found`);
        const boards = visibleBoards(c.caller);
        if (boards !== 'all' && !boards.includes(id)) return forbidden();
        return listResponse(c.instance.statuses.filter((s) => (s['board'] as JsonRecord | null)?.['id'] === id), c.url);
      },
    },

    // --- service: tickets ----------------------------------------------------------------------
    { method: 'get', path: 'service/tickets/count', permission: P('ServiceDesk/ServiceTickets'), handle: (c) => countResponse(visibleTickets(c), c.url) },
    { method: 'get', path: 'service/tickets', permission: P('ServiceDesk/ServiceTickets'), handle: (c) => listResponse(visibleTickets(c), c.url) },
    { method: 'get', path: 'service/tickets/:id', permission: P('ServiceDesk/ServiceTickets'), handle: (c) => withTicket(c, (t) => one(t, c.url)) },
    {
      method: 'get',
      path: 'service/tickets/:id/notes/count',
      permission: P('ServiceDesk/ServiceTicketNotes'),
      handle: (c) => withTicket(c, (t) => countResponse(c.instance.notes.filter((n) => n['ticketId'] === t.id), c.url)),
    },
    {
      method: 'get',
      path: 'service/tickets/:id/notes',
      permission: P('ServiceDesk/ServiceTicketNotes'),
      handle: (c) => withTicket(c, (t) => listResponse(c.instance.notes.filter((n) => n['ticketId'] === t.id), c.url)),
    },
    {
      method: 'get',
      path: 'service/tickets/:id/allNotes',
      permission: P('ServiceDesk/ServiceTicketNotes'),
      handle: (c) =>
        withTicket(c, (t) => {
          const withoutOrder = new URL(c.url);
          withoutOrder.searchParams.delete('orderBy');
          const page = listPage(allNotes(c.instance, t), withoutOrder);
          // listPage sorts by id when no orderBy is given; put entry order back.
          const order = new Map(allNotes(c.instance, t).map((n, i) => [n.id, i]));
          const items = [...page.items].sort((a, b) => (order.get(Number(a['id'])) ?? 0) - (order.get(Number(b['id'])) ?? 0));
          return json(items, page.link === null ? undefined : { headers: { Link: page.link } });
        }),
    },
    {
      method: 'get',
      path: 'service/tickets/:id/configurations',
      permission: P('ServiceDesk/ServiceTickets'),
      handle: (c) =>
        withTicket(c, (t) => {
          const refs = c.instance.ticketConfigurations
            .filter((x) => x.ticketId === t.id)
            .map((x) => c.instance.configurations.find((cfg) => cfg.id === x.configurationId))
            .filter((cfg): cfg is CwRecord => cfg !== undefined)
            .map((cfg) => ({ id: cfg.id, deviceIdentifier: cfg['deviceIdentifier'] ?? cfg['name'] ?? '', _info: { configuration_href: '' } }));
          return listResponse(refs, c.url);
        }),
    },
    {
      method: 'get',
      path: 'service/tickets/:id/timeentries',
      permission: P('TimeExpense/TimeEntry'),
      handle: (c) =>
        withTicket(c, (t) => listResponse(c.instance.timeEntries.filter((e) => e['chargeToId'] === t.id && e['chargeToType'] === 'ServiceTicket'), c.url)),
    },

    // --- time ----------------------------------------------------------------------------------
    {
      method: 'get',
      path: 'time/entries',
      permission: P('TimeExpense/TimeEntry'),
      handle: (c) => {
        const mine = levelFor(c.caller, 'TimeExpense/TimeEntry', 'inquire') === 'My';
        const me = callerIdentifier(c.caller).toLowerCase();
        const entries = c.instance.timeEntries.filter((e) => !mine || String((e['member'] as JsonRecord | null)?.['identifier'] ?? '').toLowerCase() === me);
        return listResponse(entries, c.url);
      },
    },
    { method: 'get', path: 'time/entries/:id', permission: P('TimeExpense/TimeEntry'), handle: (c) => byId(c.instance.timeEntries, 'Time Entry', c) },

    // --- companies -----------------------------------------------------------------------------
    // Setup tables (issue 12). Before company/companies/:id, which would take "statuses" for an id.
    { method: 'get', path: 'service/priorities', permission: P('System/TableSetup'), handle: (c) => listResponse(c.instance.priorities ?? [], c.url) },
    { method: 'get', path: 'service/priorities/:id', permission: P('System/TableSetup'), handle: (c) => byId(c.instance.priorities ?? [], 'Priority', c) },
    { method: 'get', path: 'company/companies/statuses', permission: P('Companies/CompanyMaintenance'), handle: (c) => listResponse(c.instance.companyStatuses ?? [], c.url) },
    { method: 'get', path: 'company/companies/statuses/:id', permission: P('Companies/CompanyMaintenance'), handle: (c) => byId(c.instance.companyStatuses ?? [], 'Company Status', c) },
    { method: 'get', path: 'company/companies/count', permission: P('Companies/CompanyMaintenance'), handle: (c) => countResponse(c.instance.companies, c.url) },
    { method: 'get', path: 'company/companies', permission: P('Companies/CompanyMaintenance'), handle: (c) => listResponse(c.instance.companies, c.url) },
    { method: 'get', path: 'company/companies/:id', permission: P('Companies/CompanyMaintenance'), handle: (c) => byId(c.instance.companies, 'Company', c) },
    { method: 'get', path: 'company/contacts', permission: P('Companies/Contacts'), handle: (c) => listResponse(c.instance.contacts, c.url) },
    { method: 'get', path: 'company/contacts/:id', permission: P('Companies/Contacts'), handle: (c) => byId(c.instance.contacts, 'Contact', c) },
    {
      method: 'get',
      path: 'company/contacts/:id/communications',
      permission: P('Companies/Contacts'),
      handle: (c) => {
        const contact = c.instance.contacts.find((x) => x.id === idParam(c.params['id']));
        if (contact === undefined) return notFound(`Contact Id ${c.params['id'] ?? ''} not found`);
        const items = Array.isArray(contact['communicationItems']) ? (contact['communicationItems'] as CwRecord[]) : [];
        return listResponse(items.map((i) => ({ ...i, contactId: contact.id })), c.url);
      },
    },
    { method: 'get', path: 'company/configurations/count', permission: P('Companies/Configurations'), handle: (c) => countResponse(c.instance.configurations, c.url) },
    { method: 'get', path: 'company/configurations', permission: P('Companies/Configurations'), handle: (c) => listResponse(c.instance.configurations, c.url) },
    { method: 'get', path: 'company/configurations/:id', permission: P('Companies/Configurations'), handle: (c) => byId(c.instance.configurations, 'Configuration', c) },

    // --- finance -------------------------------------------------------------------------------
    { method: 'get', path: 'finance/agreements/count', permission: P('Finance/Agreements'), handle: (c) => countResponse(c.instance.agreements, c.url) },
    { method: 'get', path: 'finance/agreements', permission: P('Finance/Agreements'), handle: (c) => listResponse(c.instance.agreements, c.url) },
    { method: 'get', path: 'finance/agreements/:id', permission: P('Finance/Agreements'), handle: (c) => byId(c.instance.agreements, 'Agreement', c) },

    // --- Hosted API ----------------------------------------------------------------------------
    { method: 'get', path: 'system/connectwisehostedsetups/count', permission: P('System/ManageHostedApi'), handle: (c) => countResponse(c.instance.hostedSetups, c.url) },
    { method: 'get', path: 'system/connectwisehostedsetups', permission: P('System/ManageHostedApi'), handle: (c) => listResponse(c.instance.hostedSetups, c.url) },
    {
      method: 'post',
      path: 'system/connectwisehostedsetups',
      permission: P('System/ManageHostedApi', 'add'),
      handle: async (c) => {
        const body = await readJsonBody(c.request);
        if (body === null || Array.isArray(body)) return badRequest('The request body must be a JSON object.');
        const fields = writableFields(body);
        const errors = validateHostedSetup(fields, c.instance.hostedScreens.map((s) => s.screenId));
        if (errors.length > 0) return validationFailed(errors);
        const setup = stampSetup(c, fields);
        c.instance.hostedSetups.push(setup);
        return json(setup, { status: 201 });
      },
    },
    {
      method: 'get',
      path: 'system/connectwisehostedsetups/:id',
      permission: P('System/ManageHostedApi'),
      handle: (c) => {
        const setup = hostedSetupById(c);
        return setup === undefined ? notFound(`ConnectWise Hosted Setup Id ${c.params['id'] ?? ''} not found`) : one(setup, c.url);
      },
    },
    {
      method: 'put',
      path: 'system/connectwisehostedsetups/:id',
      permission: P('System/ManageHostedApi', 'edit'),
      handle: async (c) => {
        const existing = hostedSetupById(c);
        if (existing === undefined) return notFound(`ConnectWise Hosted Setup Id ${c.params['id'] ?? ''} not found`);
        const body = await readJsonBody(c.request);
        if (body === null || Array.isArray(body)) return badRequest('The request body must be a JSON object.');
        return replaceSetup(c, existing, writableFields(body));
      },
    },
    {
      method: 'patch',
      path: 'system/connectwisehostedsetups/:id',
      permission: P('System/ManageHostedApi', 'edit'),
      handle: async (c) => {
        const existing = hostedSetupById(c);
        if (existing === undefined) return notFound(`ConnectWise Hosted Setup Id ${c.params['id'] ?? ''} not found`);
        const body = await readJsonBody(c.request);
        // ConnectWise PATCH takes JSON Patch operations: [{op:"replace", path:"url", value:"…"}].
        if (!Array.isArray(body)) return badRequest('The request body must be a list of patch operations.');
        const patched: JsonRecord = { ...existing };
        for (const op of body) {
          if (op === null || typeof op !== 'object' || Array.isArray(op)) return badRequest('Each patch operation must be an object.');
          const kind = op['op'];
          const path = typeof op['path'] === 'string' ? op['path'].replace(/^\//, '') : '';
          if (path === '' || path.includes('/')) return badRequest(`Unsupported patch path "${String(op['path'])}".`);
          if (kind === 'replace' || kind === 'add') patched[path] = op['value'] ?? null;
          else if (kind === 'remove') delete patched[path];
          else return badRequest(`Unsupported patch op "${String(kind)}".`);
        }
        const fields = writableFields(patched);
        delete fields['screen'];
        return replaceSetup(c, existing, fields);
      },
    },
    {
      method: 'delete',
      path: 'system/connectwisehostedsetups/:id',
      permission: P('System/ManageHostedApi', 'delete'),
      handle: (c) => {
        const existing = hostedSetupById(c);
        if (existing === undefined) return notFound(`ConnectWise Hosted Setup Id ${c.params['id'] ?? ''} not found`);
        c.instance.hostedSetups = c.instance.hostedSetups.filter((s) => s.id !== existing.id);
        return new HttpResponse(null, { status: 204 });
      },
    },
    {
      method: 'get',
      path: 'system/connectWiseHostedScreens',
      permission: P('System/ManageHostedApi'),
      handle: (c) => listResponse(c.instance.hostedScreens.map((s) => ({ ...s })), c.url),
    },
    {
      method: 'get',
      path: 'system/reports/ConnectWiseHostedApiScreen',
      permission: P('System/ApiReports'),
      handle: (c) => {
        // Report JSON: column definitions as single-key objects, rows as value arrays (our
        // reading of django-connectwise's report client; the exact metadata keys are unconfirmed).
        const rows = filterRecords(
          c.instance.hostedScreens.map((s) => ({ id: s.id, Presenter_Identifier_Client_Api_RecID: s.screenId, Client_Api_ID: s.name })),
          c.url,
        );
        return json({
          column_definitions: [
            { Presenter_Identifier_Client_Api_RecID: { type: 'Numeric', isNullable: false, identityColumn: false } },
            { Client_Api_ID: { type: 'Text', isNullable: false, identityColumn: false } },
          ],
          row_values: rows.map((r) => [r.Presenter_Identifier_Client_Api_RecID, r.Client_Api_ID]),
        });
      },
    },
  ];

  const companyInfo = http.get('*/login/companyinfo/:companyId', ({ request, params }) =>
    answer(request, async () => {
      const url = new URL(request.url);
      const host = url.hostname.toLowerCase();
      const companyId = typeof params['companyId'] === 'string' ? decodeURIComponent(params['companyId']) : '';
      const instance = world.get(companyId);
      const known = instance !== undefined && (instance.hosts.kind === 'any' || instanceServesHost(instance, host, 'either') || isCloudHost(host));
      if (!known || instance === undefined) {
        const response =
          ctx.unknownCompanyInfo === 'not-found'
            ? notFound('Company not found')
            : ctx.unknownCompanyInfo === 'nulls-object'
              ? json({ CompanyName: null, Codebase: null, VersionCode: null, VersionNumber: null, CompanyID: null, IsCloud: false, SiteUrl: null, AllowedOrigins: null })
              : json(null);
        return { response, authKind: 'none' };
      }
      return {
        authKind: 'none',
        response: json({
          CompanyName: instance.companyName,
          Codebase: instance.codebase,
          VersionCode: instance.versionCode,
          VersionNumber: instance.versionNumber,
          CompanyID: instance.companyId,
          IsCloud: instance.isCloud,
          // Cloud: the company's real API host, whichever region was asked (how a connection
          // test names a wrong region). Any-host instances name the host that was asked.
          SiteUrl: instance.siteUrl ?? url.host,
          AllowedOrigins: instance.allowedOrigins,
        }),
      };
    }),
  );

  // Anything else under apis/3.0 is an endpoint ConnectWise does not have (or we do not simulate).
  const unknownEndpoint = http.all('*/:codebase/apis/3.0/*', ({ request }) =>
    answer(request, async () => ({ response: notFound('The requested resource was not found.'), authKind: authKindOf(request, world) })),
  );

  return [companyInfo, ...routes.map(rest), unknownEndpoint];
}
