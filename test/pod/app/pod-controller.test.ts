import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { podErrorCodes, type PodErrorCode } from '../../../shared/errors.ts';
import { createPodApiClient } from '../../../pod/api/pod-api-client.ts';
import { createPodController, type PodController } from '../../../pod/app/pod-controller.ts';
import { createPodState, type PodState, type UrlTicket } from '../../../pod/app/pod-state.ts';
import { createFakeHost, memberAuth } from './support/fake-host.ts';
import { errorReply, gate, startPodApiServer } from './support/pod-api-server.ts';
import { companyAgreements, fullContext } from './support/ticket-fixtures.ts';

type Server = Awaited<ReturnType<typeof startPodApiServer>>;

let server: Server;
let controller: PodController | undefined;

beforeEach(async () => {
  server = await startPodApiServer();
});
afterEach(async () => {
  controller?.dispose();
  controller = undefined;
  vi.useRealTimers();
  await server.close();
});

function setup(
  options: {
    urlTicket?: UrlTicket;
    urlScreen?: string | null;
    answer?: 'auto' | 'never';
    handshakeTimeoutMs?: number;
    reload?: () => void;
  } = {},
) {
  const fake = createFakeHost({ answer: options.answer ?? 'auto' });
  const state = createPodState({
    mode: 'connectwise',
    urlTicket: options.urlTicket ?? { kind: 'id', id: 101 },
    urlScreen: options.urlScreen ?? 'ticket',
  });
  controller = createPodController({
    host: fake.host,
    api: createPodApiClient({ apiBase: server.apiBase }),
    state,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 8_000,
    reload: options.reload,
  });
  controller.start();
  return { fake, state, controller };
}

function until(check: () => unknown) {
  return vi.waitFor(() => {
    if (!check()) throw new Error('not yet');
  });
}

const contextOf = (state: PodState) => state.context.value?.ticket.id;

describe('pod controller', () => {
  it('verifies the member with the host credentials, then loads the ticket with the session token', async () => {
    const { state } = setup();
    await until(() => state.step.value === 'ready');
    const [session, ...rest] = server.requests;
    expect(session?.method).toBe('POST');
    expect(session?.path).toBe('/api/pod/acme/session');
    // The ticket in the pod URL, so the server starts its reads as soon as the member is verified.
    expect(session?.search).toBe('?ticket=101');
    expect(session?.body).toEqual(memberAuth);
    expect(rest.map((r) => r.path).sort()).toEqual(['/api/pod/acme/tickets/101', '/api/pod/acme/tickets/101/summary']);
    expect(rest.every((r) => r.authorization === 'Bearer tok-1')).toBe(true);
    expect(contextOf(state)).toBe(101);
    expect(state.screen.value).toBe('ticket');
    expect(state.session.value?.member.identifier).toBe('jdoe');
  });

  it('names no ticket when opening a session on another screen', async () => {
    const { state } = setup({ urlTicket: { kind: 'missing' }, urlScreen: 'contact' });
    await until(() => state.session.value !== null);
    expect(server.requests.map((r) => [r.path, r.search])).toEqual([['/api/pod/acme/session', '']]);
  });

  it('fills the header from the summary before the full context arrives', async () => {
    const held = gate();
    server.setRoute((r) => (r.path === '/api/pod/acme/tickets/101' ? { status: 200, body: fullContext(101), hold: held.promise } : undefined));
    const { state } = setup();
    await until(() => state.ticket.value !== null);
    expect(state.ticket.value?.id).toBe(101);
    expect(state.screen.value).toBe('ticket');
    expect(state.context.value).toBeNull();
    held.open();
    await until(() => state.context.value !== null);
    expect(contextOf(state)).toBe(101);
  });

  it('switching to another ticket cancels the old requests and never shows the old ticket', async () => {
    const held = gate();
    server.setRoute((r) => (r.path.startsWith('/api/pod/acme/tickets/101') ? { status: 200, body: r.path.endsWith('summary') ? { ticket: fullContext(101).ticket, meta: fullContext(101).meta } : fullContext(101), hold: held.promise } : undefined));
    const { state, fake } = setup();
    await until(() => server.ticketRequests().length === 2);

    const seenIds = new Set<number>();
    const stop = state.ticket.subscribe((t) => t && seenIds.add(t.id));
    fake.load('ticket', 202);
    await until(() => server.ticketRequests().filter((r) => r.path.includes('/101')).every((r) => r.aborted));
    await until(() => contextOf(state) === 202);
    // The old answers arrive late: they must not show.
    held.open();
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop();

    expect(state.ticketId.value).toBe(202);
    expect(state.ticket.value?.id).toBe(202);
    expect([...seenIds]).toEqual([202]);
  });

  it('a repeated onLoad for the ticket already loading does not load it twice', async () => {
    const { state, fake } = setup();
    fake.load('ticket', 101);
    await until(() => state.step.value === 'ready');
    expect(server.ticketRequests()).toHaveLength(2);
  });

  it('waits for onLoad when ConnectWise left [cw_id] unsubstituted', async () => {
    const { state, fake } = setup({ urlTicket: { kind: 'not_substituted' }, urlScreen: null });
    await until(() => state.session.value !== null);
    expect(server.ticketRequests()).toHaveLength(0);
    expect(state.screen.value).toBe('connecting');
    fake.load('ticket', 303);
    await until(() => contextOf(state) === 303);
  });

  it('searches solved tickets with the session, renewing it once on session_expired', async () => {
    const answer = { searched: 0, meta: { fetchedAt: '2026-03-16T09:00:00Z', fromCache: false }, hits: { ok: true, data: [] } };
    server.setRoute((r) => {
      if (!r.path.endsWith('/solved-before')) return undefined;
      return r.authorization === 'Bearer tok-1' ? errorReply('session_expired') : { status: 200, body: answer };
    });
    const { state, controller } = setup();
    await until(() => state.step.value === 'ready');
    expect(await controller.findSolvedBefore(101, new AbortController().signal)).toEqual(answer);
    const searches = server.requests.filter((r) => r.path === '/api/pod/acme/tickets/101/solved-before');
    expect(searches.map((r) => r.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('renews the session silently on session_expired and retries the request once', async () => {
    server.setRoute((r) => (r.authorization === 'Bearer tok-1' && r.path.includes('/tickets/') ? errorReply('session_expired') : undefined));
    const { state, fake } = setup();
    await until(() => state.step.value === 'ready');
    expect(state.failure.value).toBeNull();
    expect(fake.authRequests).toBe(2);
    expect(server.requests.filter((r) => r.path.endsWith('/session'))).toHaveLength(2);
    expect(server.ticketRequests().filter((r) => r.authorization === 'Bearer tok-2').map((r) => r.path).sort()).toEqual([
      '/api/pod/acme/tickets/101',
      '/api/pod/acme/tickets/101/summary',
    ]);
    expect(state.session.value?.token).toBe('tok-2');
  });

  it('gives up after one renewal when the new session is refused too', async () => {
    server.setRoute((r) => (r.path.includes('/tickets/') ? errorReply('session_expired') : undefined));
    const { state } = setup();
    await until(() => state.failure.value !== null);
    expect(state.failure.value?.code).toBe('session_expired');
    expect(server.ticketRequests().filter((r) => !r.path.endsWith('summary'))).toHaveLength(2);
  });

  it('renews the session in the background before it expires', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    await server.close();
    server = await startPodApiServer({ sessionLifeMs: 10 * 60_000 });
    const { state, fake } = setup();
    await until(() => state.step.value === 'ready');
    expect(state.session.value?.token).toBe('tok-1');

    await vi.advanceTimersByTimeAsync(7 * 60_000);
    expect(fake.authRequests).toBe(1);
    await vi.advanceTimersByTimeAsync(1 * 60_000 + 1_000);
    await until(() => state.session.value?.token === 'tok-2');
    expect(fake.authRequests).toBe(2);

    controller!.refresh();
    await until(() => server.ticketRequests().some((r) => r.authorization === 'Bearer tok-2'));
    expect(state.failure.value).toBeNull();
  });

  it('refresh re-fetches past every cache', async () => {
    const { state } = setup();
    await until(() => state.step.value === 'ready');
    controller!.refresh();
    await until(() => server.ticketRequests().length === 4);
    const fresh = server.ticketRequests().slice(2);
    expect(fresh.every((r) => r.search === '?fresh=1')).toBe(true);
    expect(server.ticketRequests().slice(0, 2).every((r) => r.search === '')).toBe(true);
    await until(() => !state.refreshing.value);
  });

  it('keeps the last good view under a stale banner when ConnectWise fails for the same ticket', async () => {
    const { state } = setup();
    await until(() => state.step.value === 'ready');
    const shown = state.context.value;
    server.setRoute(() => errorReply('connectwise_unreachable', 'ConnectWise timed out'));
    controller!.refresh();
    await until(() => state.stale.value !== null);
    expect(state.stale.value?.code).toBe('connectwise_unreachable');
    expect(state.context.value).toBe(shown);
    expect(state.failure.value).toBeNull();
    expect(state.screen.value).toBe('ticket');

    server.setRoute(() => undefined);
    controller!.refresh();
    await until(() => state.stale.value === null && !state.refreshing.value);
    expect(state.context.value).not.toBe(shown);
  });

  it('never carries a ticket into degraded mode for another ticket', async () => {
    const { state, fake } = setup();
    await until(() => state.step.value === 'ready');
    server.setRoute(() => errorReply('connectwise_unreachable'));
    fake.load('ticket', 202);
    await until(() => state.failure.value !== null);
    expect(state.failure.value?.code).toBe('connectwise_unreachable');
    expect(state.context.value).toBeNull();
    expect(state.ticket.value).toBeNull();
    expect(state.stale.value).toBeNull();
    expect(state.screen.value).toBe('failure');
  });

  it('a ticket-level refusal on refresh replaces the view instead of keeping it', async () => {
    const { state } = setup();
    await until(() => state.step.value === 'ready');
    server.setRoute((r) => (r.path.includes('/tickets/') ? errorReply('ticket_forbidden') : undefined));
    controller!.refresh();
    await until(() => state.failure.value !== null);
    expect(state.failure.value?.code).toBe('ticket_forbidden');
    expect(state.screen.value).toBe('failure');
  });

  const ticketCodes = podErrorCodes.filter((code) => code !== 'session_expired' && code !== 'member_unverified');
  it.each(ticketCodes)('maps %s from the ticket request to its failure state', async (code: PodErrorCode) => {
    server.setRoute((r) => (r.path.includes('/tickets/') ? errorReply(code, `reason for ${code}`, { retryAfter: 7 }) : undefined));
    const { state } = setup();
    await until(() => state.failure.value !== null);
    expect(state.failure.value).toMatchObject({ code, detail: `reason for ${code}`, retryAfter: 7 });
    expect(state.screen.value).toBe('failure');
  });

  it('maps member_unverified from the session request to its failure state', async () => {
    server.setRoute((r) => (r.path.endsWith('/session') ? errorReply('member_unverified', 'ConnectWise did not recognise the member') : undefined));
    const { state } = setup();
    await until(() => state.failure.value !== null);
    expect(state.failure.value?.code).toBe('member_unverified');
    expect(server.ticketRequests()).toHaveLength(0);
  });

  it('Retry after a failure loads the ticket again', async () => {
    let fail = true;
    server.setRoute((r) => (fail && r.path.includes('/tickets/') ? errorReply('connectwise_unreachable') : undefined));
    const { state } = setup();
    await until(() => state.failure.value !== null);
    fail = false;
    controller!.retry();
    await until(() => state.step.value === 'ready');
    expect(state.failure.value).toBeNull();
    expect(contextOf(state)).toBe(101);
  });

  it('says which handshake step was reached when ConnectWise does not answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const reload = vi.fn();
    const { state, fake } = setup({ answer: 'never', reload });
    expect(state.step.value).toBe('waiting');
    await vi.advanceTimersByTimeAsync(8_000);
    expect(state.failure.value).toMatchObject({ code: 'handshake_timeout', step: 'waiting' });
    expect(server.requests).toHaveLength(0);
    // No frame id ever came: Retry restarts the whole handshake.
    controller!.retry();
    expect(reload).toHaveBeenCalledTimes(1);
    expect(fake.startCalls).toBe(1);
  });

  it('names the frame-id step when ConnectWise framed the pod but never sent the member', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const reload = vi.fn();
    const { state, fake } = setup({ answer: 'never', reload });
    (fake.host.status as { value: string }).value = 'framed';
    expect(state.step.value).toBe('framed');
    await vi.advanceTimersByTimeAsync(8_000);
    expect(state.failure.value).toMatchObject({ code: 'handshake_timeout', step: 'framed' });
    fake.setAnswer('auto');
    controller!.retry();
    expect(reload).not.toHaveBeenCalled();
    await until(() => state.step.value === 'ready');
  });

  it('says no ticket is known when ConnectWise verified the member but never named a ticket', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { state, fake } = setup({ urlTicket: { kind: 'missing' }, urlScreen: null });
    await until(() => state.session.value !== null);
    await vi.advanceTimersByTimeAsync(8_000);
    expect(state.failure.value?.code).toBe('no_ticket');
    fake.load('ticket', 404);
    await until(() => contextOf(state) === 404);
    expect(state.failure.value).toBeNull();
  });

  it('shows the not-a-ticket state on other screens and loads nothing', async () => {
    const { state, fake } = setup({ urlTicket: { kind: 'missing' }, urlScreen: 'company' });
    expect(state.screen.value).toBe('other_screen');
    expect(state.otherScreen.value).toBe('company');
    await until(() => state.session.value !== null);
    expect(server.ticketRequests()).toHaveLength(0);
    fake.load('ticket', 505);
    await until(() => contextOf(state) === 505);
    expect(state.screen.value).toBe('ticket');
  });

  describe('the company’s agreements, on request', () => {
    const agreementRequests = () => server.requests.filter((r) => r.path.endsWith('/agreements'));
    const isAgreements = (r: { path: string }) => r.path.endsWith('/agreements');

    it('loads none with the ticket, then loads them for the ticket on screen when asked', async () => {
      const { state } = setup();
      await until(() => state.step.value === 'ready');
      expect(agreementRequests()).toHaveLength(0);
      expect(state.agreements.value).toEqual({ status: 'idle' });

      controller!.loadAgreements();
      expect(state.agreements.value).toEqual({ status: 'loading', ticketId: 101, shown: null });
      await until(() => state.agreements.value.status === 'loaded');
      expect(state.agreements.value).toEqual({ status: 'loaded', ticketId: 101, answer: companyAgreements() });
      expect(agreementRequests().map((r) => [r.path, r.search, r.authorization])).toEqual([
        ['/api/pod/acme/tickets/101/agreements', '', 'Bearer tok-1'],
      ]);
    });

    it('asks once while a request is on its way', async () => {
      const held = gate();
      server.setRoute((r) => (isAgreements(r) ? { status: 200, body: companyAgreements(), hold: held.promise } : undefined));
      const { state } = setup();
      await until(() => state.step.value === 'ready');
      controller!.loadAgreements();
      controller!.loadAgreements();
      held.open();
      await until(() => state.agreements.value.status === 'loaded');
      expect(agreementRequests()).toHaveLength(1);
    });

    it('switching tickets cancels the request and forgets the list: a late answer never shows under the new ticket', async () => {
      const held = gate();
      server.setRoute((r) => (isAgreements(r) ? { status: 200, body: companyAgreements(), hold: held.promise } : undefined));
      const { state, fake } = setup();
      await until(() => state.step.value === 'ready');
      controller!.loadAgreements();
      await until(() => agreementRequests().length === 1);
      const seen: string[] = [];
      const stop = state.agreements.subscribe((a) => seen.push(a.status === 'idle' ? 'idle' : `${a.status}:${a.ticketId}`));

      fake.load('ticket', 202);
      await until(() => agreementRequests()[0]!.aborted);
      await until(() => contextOf(state) === 202);
      held.open();
      await new Promise((resolve) => setTimeout(resolve, 50));
      stop();
      expect(state.agreements.value).toEqual({ status: 'idle' });
      expect(seen).toEqual(['loading:101', 'idle']);
    });

    it('forgets a loaded list when ConnectWise opens another ticket or another screen', async () => {
      const { state, fake } = setup();
      await until(() => state.step.value === 'ready');
      controller!.loadAgreements();
      await until(() => state.agreements.value.status === 'loaded');
      fake.load('ticket', 202);
      expect(state.agreements.value).toEqual({ status: 'idle' });
      await until(() => contextOf(state) === 202);
      controller!.loadAgreements();
      await until(() => state.agreements.value.status === 'loaded');
      expect(state.agreements.value).toMatchObject({ ticketId: 202 });
      fake.load('company', 7);
      expect(state.agreements.value).toEqual({ status: 'idle' });
    });

    it('keeps a failure in the card, not the view, and asking again retries', async () => {
      let fail = true;
      server.setRoute((r) => (fail && isAgreements(r) ? errorReply('connectwise_unreachable', 'ConnectWise timed out', { retryAfter: 5 }) : undefined));
      const { state } = setup();
      await until(() => state.step.value === 'ready');
      controller!.loadAgreements();
      await until(() => state.agreements.value.status === 'failed');
      expect(state.agreements.value).toEqual({
        status: 'failed',
        ticketId: 101,
        failure: { code: 'connectwise_unreachable', detail: 'ConnectWise timed out', retryAfter: 5, requestId: undefined },
      });
      expect(state.failure.value).toBeNull();
      expect(state.stale.value).toBeNull();
      expect(state.screen.value).toBe('ticket');
      fail = false;
      controller!.loadAgreements();
      await until(() => state.agreements.value.status === 'loaded');
    });

    it('renews the session once when the agreements request meets session_expired', async () => {
      server.setRoute((r) => (r.authorization === 'Bearer tok-1' && isAgreements(r) ? errorReply('session_expired') : undefined));
      const { state } = setup();
      await until(() => state.step.value === 'ready');
      controller!.loadAgreements();
      await until(() => state.agreements.value.status === 'loaded');
      expect(agreementRequests().map((r) => r.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    });

    it('refresh re-reads a list the technician opened past the caches, keeping it on screen meanwhile', async () => {
      const { state } = setup();
      await until(() => state.step.value === 'ready');
      controller!.loadAgreements();
      await until(() => state.agreements.value.status === 'loaded');
      const held = gate();
      const renewed = companyAgreements('2026-11-23T12:05:00Z');
      server.setRoute((r) => (isAgreements(r) ? { status: 200, body: renewed, hold: held.promise } : undefined));

      controller!.refresh();
      expect(state.agreements.value).toEqual({ status: 'loading', ticketId: 101, shown: companyAgreements() });
      await until(() => agreementRequests().length === 2);
      expect(agreementRequests()[1]!.search).toBe('?fresh=1');
      held.open();
      await until(() => state.agreements.value.status === 'loaded');
      expect(state.agreements.value).toEqual({ status: 'loaded', ticketId: 101, answer: renewed });
    });

    it('refresh asks for no agreements when the technician has not', async () => {
      const { state } = setup();
      await until(() => state.step.value === 'ready');
      controller!.refresh();
      await until(() => server.ticketRequests().length === 4 && !state.refreshing.value);
      expect(agreementRequests()).toHaveLength(0);
      expect(state.agreements.value).toEqual({ status: 'idle' });
    });
  });

  it('answers beforeSave with success, since the pod edits nothing', async () => {
    const { fake } = setup();
    await expect(Promise.resolve(fake.beforeSave())).resolves.toEqual({ result: 'success' });
  });

  it('opens another ticket in a new ConnectWise tab', () => {
    const { fake } = setup();
    controller!.openTicket(1234);
    expect(fake.opened).toEqual([{ screen: 'ticket', id: 1234, newTab: true }]);
  });
});
