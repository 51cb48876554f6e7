import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PodApiError } from '../../../pod/api/errors/pod-api-error.ts';
import { createPodApiClient } from '../../../pod/api/pod-api-client.ts';
import { memberAuth } from '../app/support/fake-host.ts';
import { errorReply, gate, startPodApiServer } from '../app/support/pod-api-server.ts';
import { companyAgreements, fullContext } from '../app/support/ticket-fixtures.ts';

type Server = Awaited<ReturnType<typeof startPodApiServer>>;
let server: Server;

beforeEach(async () => {
  server = await startPodApiServer();
});
afterEach(async () => {
  await server.close();
});

async function failureOf(promise: Promise<unknown>): Promise<PodApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PodApiError);
  return error as PodApiError;
}

describe('pod API client', () => {
  it('posts the member authentication as JSON and parses the session', async () => {
    const api = createPodApiClient({ apiBase: server.apiBase });
    const session = await api.createSession(memberAuth);
    expect(session.token).toBe('tok-1');
    expect(server.requests[0]?.body).toEqual(memberAuth);
    expect(server.requests[0]?.authorization).toBeUndefined();
  });

  it('names the ticket on screen when opening a session, so the server can start its reads', async () => {
    const api = createPodApiClient({ apiBase: server.apiBase });
    await api.createSession(memberAuth, { ticketId: 101 });
    expect(server.requests.map((r) => [r.method, r.path, r.search])).toEqual([['POST', '/api/pod/acme/session', '?ticket=101']]);
    expect(server.requests[0]?.body).toEqual(memberAuth);
  });

  it('sends the token as a Bearer header and asks past caches only when fresh', async () => {
    const api = createPodApiClient({ apiBase: `${server.apiBase}/` });
    const context = await api.ticketContext('tok-x', 101);
    const summary = await api.ticketSummary('tok-x', 101, { fresh: true });
    expect(context.ticket.id).toBe(101);
    expect(summary.ticket.id).toBe(101);
    expect(server.requests.map((r) => [r.path, r.search, r.authorization])).toEqual([
      ['/api/pod/acme/tickets/101', '', 'Bearer tok-x'],
      ['/api/pod/acme/tickets/101/summary', '?fresh=1', 'Bearer tok-x'],
    ]);
  });

  it('asks for the company’s agreements under the ticket, fresh only when asked, and parses the answer', async () => {
    const api = createPodApiClient({ apiBase: server.apiBase });
    expect(await api.ticketAgreements('tok-x', 101)).toEqual(companyAgreements());
    await api.ticketAgreements('tok-x', 101, { fresh: true });
    expect(server.requests.map((r) => [r.path, r.search, r.authorization])).toEqual([
      ['/api/pod/acme/tickets/101/agreements', '', 'Bearer tok-x'],
      ['/api/pod/acme/tickets/101/agreements', '?fresh=1', 'Bearer tok-x'],
    ]);
  });

  it('reads a forbidden agreements list as an answer, and a list outside the schema as a failure', async () => {
    const forbidden = { ok: false, error: { code: 'forbidden', message: 'You do not have security permission to perform this action.' } };
    server.setRoute(() => ({ status: 200, body: { ...companyAgreements(), agreements: forbidden } }));
    const api = createPodApiClient({ apiBase: server.apiBase });
    expect((await api.ticketAgreements('t', 5)).agreements).toEqual(forbidden);
    server.setRoute(() => ({ status: 200, body: { ...companyAgreements(), agreements: [{ id: 50, name: 'Gold' }] } }));
    const error = await failureOf(api.ticketAgreements('t', 5));
    expect(error.code).toBe('connectwise_unreachable');
    expect(error.message).toContain('agreements');
  });

  it('asks for similar solved tickets under the ticket and parses the answer (a failed search is an answer, a bad shape a failure)', async () => {
    const answer = { searched: 3, meta: { fetchedAt: '2026-03-16T09:00:00Z', fromCache: false }, hits: { ok: true, data: [] } };
    server.setRoute(() => ({ status: 200, body: answer }));
    const api = createPodApiClient({ apiBase: server.apiBase });
    expect(await api.solvedBefore('tok-x', 101)).toEqual(answer);
    expect(server.requests.map((r) => [r.path, r.authorization])).toEqual([['/api/pod/acme/tickets/101/solved-before', 'Bearer tok-x']]);
    server.setRoute(() => ({ status: 200, body: { ...answer, hits: { ok: false, error: { code: 'unavailable', message: 'HTTP 500' } } } }));
    expect((await api.solvedBefore('t', 5)).hits.ok).toBe(false);
    server.setRoute(() => ({ status: 200, body: { ...answer, hits: [{ id: 1 }] } }));
    expect((await failureOf(api.solvedBefore('t', 5))).code).toBe('connectwise_unreachable');
  });

  it('turns an error body into its PodErrorCode with message, retryAfter and request id', async () => {
    server.setRoute(() => errorReply('rate_limited', 'ConnectWise is throttling', { retryAfter: 30, requestId: 'req-1' }));
    const error = await failureOf(createPodApiClient({ apiBase: server.apiBase }).ticketContext('t', 1));
    expect(error).toMatchObject({ code: 'rate_limited', message: 'ConnectWise is throttling', retryAfter: 30, requestId: 'req-1', status: 429 });
  });

  it('folds admin-only codes into the pod set', async () => {
    server.setRoute(() => ({ status: 500, body: { error: { code: 'internal_error', message: 'boom' } } }));
    const error = await failureOf(createPodApiClient({ apiBase: server.apiBase }).ticketContext('t', 1));
    expect(error.code).toBe('connectwise_unreachable');
  });

  it('judges an answer without an error body by its status and Retry-After header', async () => {
    server.setRoute(() => ({ status: 429, headers: { 'retry-after': '12', 'content-type': 'text/plain' } }));
    const error = await failureOf(createPodApiClient({ apiBase: server.apiBase }).ticketSummary('t', 1));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfter: 12 });
  });

  it('rejects an answer that does not match the shared schema, naming the field', async () => {
    const broken = { ...fullContext(5), ticket: { ...fullContext(5).ticket, id: 'five' } };
    server.setRoute(() => ({ status: 200, body: broken }));
    const error = await failureOf(createPodApiClient({ apiBase: server.apiBase }).ticketContext('t', 5));
    expect(error.code).toBe('connectwise_unreachable');
    expect(error.message).toContain('ticket.id');
  });

  it('reports a server that cannot be reached', async () => {
    const api = createPodApiClient({ apiBase: server.apiBase });
    await server.close();
    const error = await failureOf(api.createSession(memberAuth));
    expect(error.code).toBe('connectwise_unreachable');
    server = await startPodApiServer();
  });

  it('lets an abort through as an AbortError, not as a pod failure', async () => {
    const held = gate();
    server.setRoute(() => ({ status: 200, body: fullContext(1), hold: held.promise }));
    const abort = new AbortController();
    const pending = createPodApiClient({ apiBase: server.apiBase }).ticketContext('t', 1, { signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    held.open();
  });
});
