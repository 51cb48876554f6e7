import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodSession } from '../../../shared/pod-api.ts';
import {
  demoApiMember,
  demoCompanyId,
  demoForgedMemberHash,
  demoRestrictedTechnician,
  demoTechnician,
  demoTicketIds,
  type DemoMember,
} from '../../../server/simulated-connectwise/demo.ts';
import { startLoggedStack, type LoggedStack } from './support/logged-stack.ts';
import { memberAuthentication } from '../../support/members.ts';

/**
 * The server's own logs over a full run — admin saves and tests, sign-ins good and forged,
 * ticket contexts, refusals and a ConnectWise failure — read back line by line: JSON, with
 * request id, route, status and tenant, and not one secret.
 */

const adminToken = 'logs-admin-token-Zq81xW0pLm7';
// A second tenant whose keys appear nowhere else, so finding them in the logs means a leak.
const second = { companyId: 'logcheck', publicKey: 'LogPubKey-7f3a9c1e', privateKey: 'LogPrivKey-b24d8e60' };

let stack: LoggedStack;
const secrets = new Set<string>([adminToken, demoApiMember.publicKey, demoApiMember.privateKey, second.publicKey, second.privateKey]);
const responseIds: string[] = [];

async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
  });
  const id = res.headers.get('x-request-id');
  if (id !== null) responseIds.push(id);
  const text = await res.text();
  return { status: res.status, text, id };
}

const admin = (method: string, path: string, body?: unknown) =>
  call(method, `/api/admin${path}`, { headers: { Authorization: `Bearer ${adminToken}` }, ...(body !== undefined ? { body } : {}) });

function auth(m: DemoMember, hash = m.memberHash) {
  return { ...memberAuthentication(stack.simulator!.origin, m), memberHash: hash };
}

async function fullRun(): Promise<void> {
  const sim = stack.simulator!.sim;
  // Admin: re-save the demo tenant with its keys, add a second tenant, test both.
  expect((await admin('PUT', `/tenants/${demoCompanyId}`, { site: stack.simulator!.origin, publicKey: demoApiMember.publicKey, privateKey: demoApiMember.privateKey })).status).toBe(200);
  expect((await admin('PUT', `/tenants/${second.companyId}`, { site: stack.simulator!.origin, publicKey: second.publicKey, privateKey: second.privateKey })).status).toBe(201);
  expect((await admin('POST', `/tenants/${demoCompanyId}/test`)).status).toBe(200);
  expect((await admin('POST', `/tenants/${second.companyId}/test`)).status).toBe(200);
  expect((await admin('GET', `/tenants/${second.companyId}/boards`)).status).toBeGreaterThanOrEqual(400);
  // A wrong admin token, and console sign-in with a wrong and the right token.
  secrets.add('wrong-admin-token-000000');
  expect((await call('GET', '/api/admin/tenants', { headers: { Authorization: 'Bearer wrong-admin-token-000000' } })).status).toBe(401);
  expect((await call('POST', '/api/admin/session', { body: { token: 'wrong-admin-token-000000' } })).status).toBe(401);
  expect((await call('POST', '/api/admin/session', { body: { token: adminToken } })).status).toBe(200);

  // Pod: sessions valid and forged.
  const tokens: string[] = [];
  for (const m of [demoTechnician, demoRestrictedTechnician]) {
    secrets.add(m.memberHash);
    const res = await call('POST', `/api/pod/${demoCompanyId}/session`, { body: auth(m) });
    expect(res.status).toBe(200);
    tokens.push(PodSession.parse(JSON.parse(res.text)).token);
  }
  secrets.add(demoForgedMemberHash);
  expect((await call('POST', `/api/pod/${demoCompanyId}/session`, { body: auth(demoTechnician, demoForgedMemberHash) })).status).toBe(401);
  expect((await call('POST', `/api/pod/${demoCompanyId}/session`, { body: '{"companyid": "demo", "memberHash": ' })).status).toBe(400);
  for (const t of tokens) secrets.add(t);

  // Ticket contexts, a forbidden one, a missing one, no session, a forged session.
  const [tech, restricted] = tokens as [string, string];
  const bearer = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });
  expect((await call('GET', `/api/pod/${demoCompanyId}/tickets/${demoTicketIds.helpDeskOpen}`, bearer(tech))).status).toBe(200);
  expect((await call('GET', `/api/pod/${demoCompanyId}/tickets/${demoTicketIds.helpDeskOpen}/summary`, bearer(tech))).status).toBe(200);
  expect((await call('GET', `/api/pod/${demoCompanyId}/tickets/${demoTicketIds.networkOpsOpen}`, bearer(restricted))).status).toBe(403);
  expect((await call('GET', `/api/pod/${demoCompanyId}/tickets/${demoTicketIds.missing}`, bearer(tech))).status).toBe(404);
  expect((await call('GET', `/api/pod/${demoCompanyId}/tickets/abc`, bearer(tech))).status).toBe(400);
  expect((await call('GET', `/api/pod/${demoCompanyId}/tickets/${demoTicketIds.helpDeskOpen}`)).status).toBe(401);
  const forged = `${tech.slice(0, -6)}AAAAAA`;
  secrets.add(forged);
  expect((await call('GET', `/api/pod/${demoCompanyId}/tickets/${demoTicketIds.helpDeskOpen}`, bearer(forged))).status).toBe(401);
  // A ConnectWise fault: every ticket read fails with 500.
  sim.faults.set({ kind: 'server-error', status: 500, path: '*/service/tickets/*' });
  try {
    const failed = await call('GET', `/api/pod/${demoCompanyId}/tickets/${demoTicketIds.closed}?fresh=1`, bearer(tech));
    expect(failed.status).toBeGreaterThanOrEqual(500);
  } finally {
    sim.faults.clear();
  }
  // A request id sent by a proxy in front is kept.
  const proxied = await call('GET', '/healthz', { headers: { 'X-Request-Id': 'proxy-req-0001-abcdef' } });
  expect(proxied.id).toBe('proxy-req-0001-abcdef');
}

beforeAll(async () => {
  stack = await startLoggedStack({ level: 'debug', adminToken });
  await fullRun();
}, 60_000);

afterAll(async () => stack?.stop());

describe('the logs of a full run', () => {
  it('are one JSON object per line', () => {
    expect(stack.logs.lines.length).toBeGreaterThan(20);
    const bad = stack.logs.lines.filter((l) => {
      try {
        return typeof JSON.parse(l) !== 'object';
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
  });

  it('have a line per request with its request id, method, route and status, and the tenant on pod routes', () => {
    const requests = stack.logs.records().filter((r) => r['msg'] === 'request');
    expect(requests.length).toBe(responseIds.length);
    for (const r of requests) {
      expect(r).toMatchObject({ requestId: expect.any(String), method: expect.any(String), route: expect.any(String), status: expect.any(Number) });
    }
    const podTicketLines = requests.filter((r) => String(r['route']).includes('/tickets/') && r['status'] !== 404);
    expect(podTicketLines.length).toBeGreaterThan(0);
    for (const r of podTicketLines) expect(r['tenant'], JSON.stringify(r)).toBe(demoCompanyId);
    // Admin routes are logged under their full pattern, with the tenant they name.
    const adminTenantLines = requests.filter((r) => String(r['route']).startsWith('/api/admin/tenants/:companyId'));
    expect(adminTenantLines.length).toBeGreaterThanOrEqual(5);
    for (const r of adminTenantLines) expect([demoCompanyId, second.companyId], JSON.stringify(r)).toContain(r['tenant']);
  });

  it('carry every X-Request-Id the server answered with', () => {
    const logged = new Set(stack.logs.records().map((r) => r['requestId']));
    expect(responseIds.filter((id) => !logged.has(id))).toEqual([]);
    expect(logged.has('proxy-req-0001-abcdef')).toBe(true);
  });

  it('log the ConnectWise failure with its request id', () => {
    const failure = stack.logs.records().find((r) => r['msg'] === 'request' && typeof r['status'] === 'number' && r['status'] >= 500);
    expect(failure).toBeDefined();
    const related = stack.logs.records().filter((r) => r['requestId'] === failure!['requestId']);
    expect(related.length).toBeGreaterThan(1);
  });

  it('contain none of the secrets: API keys, memberHashes, session and admin tokens, Authorization values', () => {
    const text = stack.logs.text();
    expect(secrets.size).toBeGreaterThanOrEqual(10);
    const found = [...secrets].filter((s) => text.includes(s));
    expect(found).toEqual([]);
    // Nor the Basic credentials the server sends ConnectWise, in any encoding.
    for (const [pub, priv] of [
      [demoApiMember.publicKey, demoApiMember.privateKey],
      [second.publicKey, second.privateKey],
    ]) {
      const basic = Buffer.from(`${demoCompanyId}+${pub}:${priv}`).toString('base64');
      expect(text.includes(basic)).toBe(false);
    }
    expect(text).not.toMatch(/Bearer [A-Za-z0-9._~+/=-]{8,}/);
    expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
  });
});

describe('LOG_LEVEL', () => {
  it('at warn drops the per-request info lines but keeps warnings', async () => {
    const quiet = await startLoggedStack({ level: 'warn' });
    try {
      expect((await fetch(`${quiet.url}/healthz`)).status).toBe(200);
      quiet.simulator!.sim.faults.set({ kind: 'server-error', status: 500, path: '*/system/myMembers/info' });
      await fetch(`${quiet.url}/api/pod/${demoCompanyId}/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ companyid: demoCompanyId, memberid: demoTechnician.identifier, memberHash: demoTechnician.memberHash, memberContext: 'web' }),
      });
      const records = quiet.logs.records();
      expect(records.filter((r) => r['msg'] === 'request')).toEqual([]);
      expect(records.every((r) => Number(r['level']) >= 40)).toBe(true);
      expect(records.length).toBeGreaterThan(0);
    } finally {
      await quiet.stop();
    }
  });
});

describe('PUBLIC_URL at start-up (issue 11 item 7)', () => {
  it('warns once when PUBLIC_URL is not https, naming it; http://localhost gets no warning', async () => {
    const plain = await startLoggedStack({ env: { PUBLIC_URL: 'http://pod.example.test' } });
    try {
      const warnings = plain.logs.records().filter((r) => typeof r['msg'] === 'string' && (r['msg'] as string).includes('is not https'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!['level']).toBe(40);
      expect(warnings[0]!['msg']).toContain('PUBLIC_URL (http://pod.example.test) is not https');
    } finally {
      await plain.stop();
    }
    // The control: this file's stack runs on http://localhost and said nothing of the kind.
    expect(stack.logs.text()).not.toContain('is not https');
  });
});
