import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { TicketContext } from '../../../shared/ticket-context.ts';
import { demoApiMember, demoClientId, demoCompanyId, demoForgedMemberHash, demoRestrictedTechnician, demoTechnician, demoTicketIds } from '../../../server/simulated-connectwise/demo.ts';
import { startSimulatedConnectWiseServer } from '../../../server/simulated-connectwise/http-server.ts';
import { createSimulatedConnectWise, type Sim } from '../../../server/simulated-connectwise/simulator.ts';
import { generateSecretKey } from '../../../server/tenants/secret-key.ts';
import { freePort } from '../../support/free-port.ts';
import { memberAuthentication } from '../../support/members.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';

/**
 * Two instances of the real server (`node server/main.ts`, as `npm start` runs it) on one
 * PostgreSQL database, behind no load balancer: the test is the load balancer. One simulated
 * ConnectWise serves both.
 */

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const webDir = path.join(repo, 'dist/web');
const adminToken = 'scale-out-admin-token-7c21e9a4';
const secretKey = generateSecretKey();
const companyId = demoCompanyId;

type Instance = { name: string; url: string; child: ChildProcess; output: () => string };

let db: TestDatabase;
let sim: Sim;
let simServer: { origin: string; close(): Promise<void> };
let dataDir: string;
const instances: Instance[] = [];

async function startInstance(name: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: repo,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: path.join(dataDir, name),
      DATABASE_URL: db.url,
      SECRET_KEY: secretKey,
      ADMIN_TOKEN: adminToken,
      DEMO: 'false',
      // The simulated ConnectWise listens on loopback.
      ALLOW_PRIVATE_NETWORK: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const instance = { name, url, child, output: () => output };
  instances.push(instance);
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`instance ${name} exited at start:\n${output}`);
    if ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) === 200) return instance;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance ${name} did not become ready:\n${output}`);
}

const admin = (i: Instance, method: string, route: string, body?: unknown) =>
  fetch(`${i.url}/api/admin${route}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

const signIn = (i: Instance, member: typeof demoTechnician = demoTechnician, overrides: Record<string, unknown> = {}) =>
  fetch(`${i.url}/api/pod/${companyId}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...memberAuthentication(simServer.origin, member), ...overrides }),
  });

const podPage = (i: Instance) => fetch(`${i.url}/hostedapis/connectwiseiframe/${companyId}`).then((r) => r.status);

const tenantInput = () => ({
  site: simServer.origin,
  publicKey: demoApiMember.publicKey,
  privateKey: demoApiMember.privateKey,
  clientId: demoClientId,
});

const ticket = (i: Instance, token: string, id: number = demoTicketIds.helpDeskOpen) =>
  fetch(`${i.url}/api/pod/${companyId}/tickets/${id}`, { headers: { Authorization: `Bearer ${token}` } });

let a: Instance;
let b: Instance;

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'pod-scale-out-'));
  sim = createSimulatedConnectWise();
  simServer = await startSimulatedConnectWiseServer({ sim, webRoot: webDir, podOrigin: 'http://127.0.0.1:1' });
  [a, b] = await Promise.all([startInstance('a'), startInstance('b')]);
});

afterAll(async () => {
  for (const i of instances) {
    if (i.child.exitCode === null && i.child.signalCode === null) {
      i.child.kill('SIGTERM');
      await once(i.child, 'exit');
    }
  }
  sim?.faults.clear();
  await simServer?.close();
  await db?.drop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('two instances on one PostgreSQL database', () => {
  it('serve a tenant saved through A from B, and accept A’s pod token on B', async () => {
    const saved = await admin(a, 'PUT', `/tenants/${companyId}`, tenantInput());
    expect(saved.status, await saved.clone().text()).toBe(201);
    const fromB = await admin(b, 'GET', `/tenants/${companyId}`);
    expect(fromB.status).toBe(200);
    expect(await fromB.json()).toMatchObject({ companyId, version: 1 });

    const session = await signIn(a);
    expect(session.status, await session.clone().text()).toBe(200);
    const { token } = PodSession.parse(await session.json());
    const res = await ticket(b, token);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(TicketContext.parse(await res.json()).ticket.id).toBe(demoTicketIds.helpDeskOpen);
  });

  it('count failed verifications split across A and B against one limit per member', async () => {
    const forged = { memberHash: demoForgedMemberHash };
    const codes: string[] = [];
    for (let n = 0; n < 10; n += 1) {
      const res = await signIn(n % 2 === 0 ? a : b, demoRestrictedTechnician, forged);
      codes.push(ApiErrorBody.parse(await res.json()).error.code);
    }
    expect(codes).toEqual(Array(10).fill('member_unverified'));
    // The 11th, on either instance, is over the shared limit (10 per member per 15 minutes).
    for (const i of [a, b]) {
      const res = await signIn(i, demoRestrictedTechnician, forged);
      expect(res.status).toBe(429);
      expect(ApiErrorBody.parse(await res.json()).error.code).toBe('rate_limited');
    }
  });

  it('accept a console session (cookie + CSRF) made on A on B, and remember a sign-out on B at A', async () => {
    const signedIn = await fetch(`${a.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: adminToken }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
    const asConsole = (i: Instance, method: string, route: string, body?: unknown) =>
      fetch(`${i.url}/api/admin${route}`, {
        method,
        headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const current = (await (await asConsole(b, 'GET', `/tenants/${companyId}`)).json()) as { version: number };
    const edited = await asConsole(b, 'PUT', `/tenants/${companyId}`, { site: simServer.origin, boardIds: [], version: current.version });
    expect(edited.status, await edited.clone().text()).toBe(200);
    expect((await asConsole(b, 'DELETE', '/session')).status).toBe(204);
    expect((await asConsole(a, 'GET', '/tenants')).status).toBe(401);
  });

  it('forget a tenant deleted through B on A within a second, and learn it again when A re-creates it', async () => {
    // A has the tenant in its cache (5 s TTL): only the change feed can make it forget in time.
    expect(await podPage(a)).toBe(200);
    const version = ((await (await admin(b, 'GET', `/tenants/${companyId}`)).json()) as { version: number }).version;
    expect((await admin(b, 'DELETE', `/tenants/${companyId}`, { version })).status).toBe(204);
    await expect.poll(() => podPage(a), { timeout: 1_000, interval: 50 }).toBe(404);

    expect(await podPage(b)).toBe(404);
    expect((await admin(a, 'PUT', `/tenants/${companyId}`, tenantInput())).status).toBe(201);
    await expect.poll(() => podPage(b), { timeout: 1_000, interval: 50 }).toBe(200);
  });

  it('keep serving from B when A is killed in the middle of a request', async () => {
    const session = await signIn(a);
    expect(session.status).toBe(200);
    const { token } = PodSession.parse(await session.json());
    sim.faults.set({ kind: 'timeout', path: '*/service/tickets/*' });
    const inFlight = ticket(a, token, demoTicketIds.closed).then(
      (r) => r.status,
      (e: unknown) => (e as Error).name,
    );
    // A is now waiting on ConnectWise for this request.
    await expect.poll(() => sim.faults.hangingCount()).toBeGreaterThanOrEqual(1);
    a.child.kill('SIGKILL');
    await once(a.child, 'exit');
    expect(await inFlight).toBe('TypeError');
    sim.faults.clear();

    const res = await ticket(b, token, demoTicketIds.closed);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(TicketContext.parse(await res.json()).ticket.id).toBe(demoTicketIds.closed);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
  });
});
