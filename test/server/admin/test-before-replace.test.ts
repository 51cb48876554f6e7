import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionTestFailedBody, ConnectionTestResult, TenantView } from '../../../shared/admin-api.ts';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { demoApiMember, demoCompanyId } from '../../../server/simulated-connectwise/demo.ts';
import type { Sim } from '../../../server/simulated-connectwise/simulator.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { addTechnicians, memberCredentials } from '../../support/members.ts';
import { openSession } from '../../bench/pod-client.ts';
import { addKeyPair } from './support.ts';

/**
 * Test before replace (issue 11 item 1) and keys bound to their site (issue 10 item 2), over
 * real HTTP against the whole product: the admin API, the pod API technicians use, and the
 * simulated ConnectWise on its own port. Private networks are allowed so a loopback listener
 * can stand for "another host" and record what reaches it.
 */

let stack: PodStack;
let sim: Sim;
let tokens: string[];
let ticketId: number;

beforeAll(async () => {
  stack = await startPodStack({ ALLOW_PRIVATE_NETWORK: 'true' });
  sim = stack.simulator!.sim;
  const members = addTechnicians(sim, 8, 'rotor');
  tokens = await Promise.all(members.map((m) => openSession(stack.url, memberCredentials(m))));
  ticketId = sim.world.get(demoCompanyId)!.tickets[0]!.id;
});
afterAll(async () => {
  await stack?.stop();
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${stack.url}/api/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: text === '' ? null : JSON.parse(text) };
}

const demoTenant = async () => TenantView.parse((await admin('GET', `/tenants/${demoCompanyId}`)).json);

/**
 * One technician's view read afresh, so ConnectWise is asked with the tenant's API keys every
 * time: "ok" when every section came back, else what failed (a 200 may carry section errors).
 */
async function freshView(token: string): Promise<string> {
  const res = await fetch(`${stack.url}/api/pod/${demoCompanyId}/tickets/${ticketId}?fresh=1`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200) return `HTTP ${res.status}`;
  const failed = Object.entries(JSON.parse(text) as Record<string, { ok?: boolean }>)
    .filter(([, part]) => part?.ok === false)
    .map(([name]) => name);
  return failed.length === 0 ? 'ok' : `sections failed: ${failed.join(', ')}`;
}

type Technicians = {
  /** How many views have been answered so far. */
  progress(): number;
  /** Resolves once every technician has had a view answered that began after this call. */
  settled(): Promise<void>;
};

/** Technicians reading views while `during` runs; answers every outcome they got. */
async function withTechnicians(during: (t: Technicians) => Promise<void>): Promise<string[]> {
  const statuses: string[] = [];
  let stop = false;
  const waiters: { pending: Set<number>; resolve: () => void }[] = [];
  const workers = tokens.map(async (token, i) => {
    while (!stop) {
      const mine = waiters.filter((w) => w.pending.has(i));
      statuses.push(await freshView(token));
      for (const w of mine) {
        w.pending.delete(i);
        if (w.pending.size === 0) w.resolve();
      }
    }
  });
  try {
    await during({
      progress: () => statuses.length,
      settled: () => new Promise<void>((resolve) => waiters.push({ pending: new Set(tokens.map((_, i) => i)), resolve })),
    });
  } finally {
    stop = true;
    await Promise.all(workers);
  }
  return statuses;
}

/** Progress of requests on a shared, busy machine: wait for it, never for a time. */
const patience = { timeout: 20_000 };

/** API-key calls the simulator answered 200 since `from` (its call log). */
const apiKeyReads = (from: number) => sim.calls.list().slice(from).filter((c) => c.auth === 'api' && c.status === 200).length;

describe('a change of keys is tested before it replaces working ones', () => {
  it('refuses a wrong private key with 422 connection_test_failed, stores nothing, and technicians keep working', async () => {
    const before = await demoTenant();
    let refused: Awaited<ReturnType<typeof admin>> | undefined;
    const statuses = await withTechnicians(async ({ progress }) => {
      await expect.poll(progress, patience).toBeGreaterThan(4);
      refused = await admin('PUT', `/tenants/${demoCompanyId}`, { site: before.siteInput, privateKey: 'wrongPrivateKey0', version: before.version });
      const after = progress();
      await expect.poll(progress, patience).toBeGreaterThan(after + 8);
    });
    expect(refused!.status).toBe(422);
    const body = ConnectionTestFailedBody.parse(refused!.json);
    expect(body.error.code).toBe('connection_test_failed');
    expect(body.error.message).toContain('“The API keys are accepted”');
    expect(body.error.message).toContain('?force=true');
    expect(body.error.test.steps.find((s) => s.id === 'keys')?.status).toBe('failed');
    // Only the blocking steps ran: no permission probes against ConnectWise.
    expect(body.error.test.steps.map((s) => s.id)).toEqual(['site', 'company', 'keys', 'client_id', 'api_member']);
    expect(refused!.text).not.toContain('wrongPrivateKey0');

    const stored = await demoTenant();
    expect(stored.version).toBe(before.version);
    expect(stored.privateKey).toBe(before.privateKey);
    expect(statuses.length).toBeGreaterThan(12);
    expect(statuses.filter((s) => s !== 'ok')).toEqual([]);

    // Positive control: after the refused update, a fresh view is read with the stored API keys.
    const mark = sim.calls.list().length;
    expect(await freshView(tokens[0]!)).toBe('ok');
    expect(apiKeyReads(mark)).toBeGreaterThan(0);
  });

  it('rotates the keys with technicians’ requests in flight and not one failure', async () => {
    const before = await demoTenant();
    const revokeNew = addKeyPair({ sim }, demoCompanyId, 'rotatedPublic002', 'rotatedPrivate02');
    const oldPair = sim.world.get(demoCompanyId)!.apiMembers.find((a) => a.publicKey === demoApiMember.publicKey)!;
    let saved: Awaited<ReturnType<typeof admin>> | undefined;
    const statuses = await withTechnicians(async ({ progress, settled }) => {
      await expect.poll(progress, patience).toBeGreaterThan(4);
      saved = await admin('PUT', `/tenants/${demoCompanyId}`, {
        site: before.siteInput,
        publicKey: 'rotatedPublic002',
        privateKey: 'rotatedPrivate02',
        version: before.version,
      });
      // The old pair is revoked in ConnectWise once the pod uses the new one, as the guide says:
      // after the views that began before the save (with the old keys, rightly) have finished.
      await settled();
      oldPair.inactive = true;
      const after = progress();
      await expect.poll(progress, patience).toBeGreaterThan(after + 16);
    });
    try {
      expect(saved!.status).toBe(200);
      expect(TenantView.parse(saved!.json).lastTest?.ok).toBe(true);
      expect(statuses.filter((s) => s !== 'ok')).toEqual([]);
      // Positive control: the reads after the revocation went to ConnectWise with the new keys.
      const mark = sim.calls.list().length;
      expect(await freshView(tokens[1]!)).toBe('ok');
      expect(apiKeyReads(mark)).toBeGreaterThan(0);
    } finally {
      // Back to the demo keys for the tests that follow.
      oldPair.inactive = false;
      const now = await demoTenant();
      const back = await admin('PUT', `/tenants/${demoCompanyId}`, {
        site: now.siteInput,
        publicKey: demoApiMember.publicKey,
        privateKey: demoApiMember.privateKey,
        version: now.version,
      });
      expect(back.status).toBe(200);
      revokeNew();
    }
  });

  it('stores a new tenant whose test fails, with the result', async () => {
    const site = (await demoTenant()).siteInput;
    const res = await admin('PUT', '/tenants/newcomer', { site, publicKey: 'nobodysPublic01', privateKey: 'nobodysPrivate1' });
    expect(res.status).toBe(201);
    const view = TenantView.parse(res.json);
    expect(view.lastTest?.ok).toBe(false);
    expect(TenantView.parse((await admin('GET', '/tenants/newcomer')).json).lastTest).toEqual(view.lastTest);
  });

  it('does not test a change that leaves the connection alone (board filter, Nilear origin)', async () => {
    const before = await demoTenant();
    const mark = sim.calls.list().length;
    const res = await admin('PUT', `/tenants/${demoCompanyId}`, { site: before.siteInput, nilearOrigin: before.nilearOrigin, boardIds: [], version: before.version });
    expect(res.status).toBe(200);
    expect(sim.calls.list().slice(mark)).toEqual([]);
  });
});

describe('keys stay with the site they were entered for', () => {
  let listener: Server;
  let seen: string[];
  let otherSite: string;

  beforeAll(async () => {
    seen = [];
    listener = createServer((req, res) => {
      // Answers like an on-premise ConnectWise that knows the company but none of the keys.
      if (req.url?.startsWith('/login/companyinfo/')) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ CompanyName: 'Elsewhere', Codebase: 'v4_6_release/', VersionCode: 'v2025.1', IsCloud: false }));
        return;
      }
      seen.push(req.headers.authorization ?? '(none)');
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"code":"Unauthorized","message":"no"}');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    otherSite = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  const storedKeys = () => [demoApiMember.publicKey, demoApiMember.privateKey];
  const decoded = () => seen.map((h) => (h.startsWith('Basic ') ? Buffer.from(h.slice(6), 'base64').toString('utf8') : h));

  it('refuses a new site without both keys (422 naming publicKey and privateKey), even with force, and sends nothing there', async () => {
    const before = await demoTenant();
    for (const query of ['', '?force=true']) {
      const res = await admin('PUT', `/tenants/${demoCompanyId}${query}`, { site: otherSite, version: before.version });
      expect(res.status).toBe(422);
      const error = ApiErrorBody.parse(res.json).error;
      expect(error.code).toBe('validation_failed');
      expect(error.fields?.map((f) => f.path).sort()).toEqual(['privateKey', 'publicKey']);
    }
    const onlyOne = await admin('PUT', `/tenants/${demoCompanyId}?force=true`, { site: otherSite, publicKey: 'otherPublic0001', version: before.version });
    expect(ApiErrorBody.parse(onlyOne.json).error.fields?.map((f) => f.path)).toEqual(['privateKey']);
    // The connection test on the stored tenant still goes to the stored site only.
    expect((await admin('POST', `/tenants/${demoCompanyId}/test`)).status).toBe(200);
    expect(seen).toEqual([]);
    expect((await demoTenant()).site).toEqual(before.site);
  });

  it('sends a new site only the keys entered with it, in the save’s test and in every later test (positive control)', async () => {
    const before = await demoTenant();
    const refused = await admin('PUT', `/tenants/${demoCompanyId}`, { site: otherSite, publicKey: 'otherPublic0001', privateKey: 'otherPrivate001', version: before.version });
    expect(refused.status, refused.text).toBe(422);
    expect(seen.length, refused.text).toBeGreaterThan(0);
    const forced = await admin('PUT', `/tenants/${demoCompanyId}?force=true`, {
      site: otherSite,
      publicKey: 'otherPublic0001',
      privateKey: 'otherPrivate001',
      version: before.version,
    });
    expect(forced.status).toBe(200);
    const test = ConnectionTestResult.parse((await admin('POST', `/tenants/${demoCompanyId}/test`)).json);
    expect(test.ok).toBe(false);
    const basic = decoded().filter((h) => h !== '(none)');
    expect(basic.length).toBeGreaterThan(0);
    for (const h of basic) expect(h).toBe(`${demoCompanyId}+otherPublic0001:otherPrivate001`);
    for (const secret of storedKeys()) expect(decoded().join('\n')).not.toContain(secret);

    // Back to the simulator, with its keys.
    const now = await demoTenant();
    const back = await admin('PUT', `/tenants/${demoCompanyId}`, {
      site: before.siteInput,
      publicKey: demoApiMember.publicKey,
      privateKey: demoApiMember.privateKey,
      version: now.version,
    });
    expect(back.status).toBe(200);
  });
});

describe('?force=true', () => {
  it('stores settings that fail the test, with the result, and a correct save afterwards restores the pod', async () => {
    const before = await demoTenant();
    const forced = await admin('PUT', `/tenants/${demoCompanyId}?force=true`, { site: before.siteInput, privateKey: 'wrongPrivateKey0', version: before.version });
    expect(forced.status).toBe(200);
    const view = TenantView.parse(forced.json);
    expect(view.version).toBe(before.version + 1);
    expect(view.lastTest?.ok).toBe(false);
    expect(view.lastTest?.steps.find((s) => s.id === 'keys')?.status).toBe('failed');
    expect(view.privateKey.endsWith('Key0')).toBe(true);
    // What force means: technicians' views now lack what the API keys read.
    expect(await freshView(tokens[2]!)).toMatch(/^sections failed|^HTTP/);

    const fixed = await admin('PUT', `/tenants/${demoCompanyId}`, { site: before.siteInput, privateKey: demoApiMember.privateKey, version: view.version });
    expect(fixed.status).toBe(200);
    await expect.poll(() => freshView(tokens[2]!), patience).toBe('ok');
  });
});
