import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { setupServer, type SetupServer } from 'msw/node';
import { createAdminRouter } from '../../../server/admin/router.ts';
import type { AdminLimits } from '../../../server/admin/rate-limits.ts';
import { createConnectWise, type ConnectWise } from '../../../server/connectwise/connectwise.ts';
import { createSimulatedConnectWise, type Sim } from '../../../server/simulated-connectwise/index.ts';
import { demoApiMember, demoClientId } from '../../../server/simulated-connectwise/demo.ts';
import { openSqliteTenantStore } from '../../../server/tenants/sqlite-store.ts';
import type { TenantStore } from '../../../server/tenants/tenant.ts';
import { listenApp } from '../../support/serve-app.ts';

export const adminToken = 'admin-token-for-tests-0123456789abcdef';

/** Host names that resolve to loopback: the SSRF refusals. */
export const loopbackHosts = new Set(['rebind.example.test', 'cw.internal.example.test']);

/** A public address for every other host (msw answers before any connection is made). */
export async function testLookup(hostname: string): Promise<{ address: string; family: 4 | 6 }[]> {
  if (loopbackHosts.has(hostname)) return [{ address: '127.0.0.1', family: 4 }];
  if (hostname === 'nxdomain.example.test') throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
  return [{ address: '93.184.215.14', family: 4 }];
}

/** The demo instance answers on any host: this one stands for an on-premise server. */
export const demoSite = 'cw.demo-msp.example';

export type AdminHarness = {
  url: string;
  sim: Sim;
  /** The msw server answering for ConnectWise: `msw.use(...)` overrides one endpoint. */
  msw: SetupServer;
  store: TenantStore;
  connectwise: ConnectWise;
  close(): Promise<void>;
  /** Every response body seen through `call`, to search for secrets. */
  bodies: string[];
  call(method: string, p: string, options?: { body?: unknown; raw?: string; headers?: Record<string, string>; auth?: boolean }): Promise<{ status: number; headers: Headers; text: string; json: any }>;
};

/**
 * The admin router on a real port, with a real SQLite store in a temp dir and the real
 * ConnectWise client, whose requests the simulated ConnectWise answers through msw.
 */
export async function startAdminHarness(
  options: { publicUrl?: string; limits?: Partial<AdminLimits>; stepTimeoutMs?: number; cwClientId?: string; allowPrivateNetwork?: boolean } = {},
): Promise<AdminHarness> {
  const sim = createSimulatedConnectWise();
  const msw = setupServer(...sim.handlers);
  msw.listen({ onUnhandledFrame: 'bypass' });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'admin-test-'));
  const store = await openSqliteTenantStore({ dataDir });
  const cwClientId = 'cwClientId' in options ? options.cwClientId : demoClientId;
  const connectwise = createConnectWise({ defaultClientId: cwClientId, allowPrivateNetwork: false, lookup: testLookup, timeoutMs: 3000, totalTimeoutMs: 5000 });
  const publicUrl = options.publicUrl ?? 'https://pod.example.com';
  const app = express();
  app.set('query parser', 'simple');
  app.use(
    '/api/admin',
    createAdminRouter({
      store,
      connectwise,
      config: { adminToken, publicUrl, cwClientId, allowPrivateNetwork: options.allowPrivateNetwork ?? false, demo: false },
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.stepTimeoutMs ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
    }),
  );
  const { server, url } = await listenApp(app);
  const bodies: string[] = [];

  return {
    url,
    sim,
    msw,
    store,
    connectwise,
    bodies,
    async call(method, p, o = {}) {
      const headers: Record<string, string> = { ...(o.auth === false ? {} : { Authorization: `Bearer ${adminToken}` }), ...o.headers };
      let body: string | undefined;
      if (o.raw !== undefined) body = o.raw;
      else if (o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${url}/api/admin${p}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      bodies.push(text, JSON.stringify([...res.headers]));
      let json: unknown = null;
      try {
        json = text === '' ? null : JSON.parse(text);
      } catch {
        json = null;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A request aborted while the simulator hung it (the "timeout" fault) never settles
      // for the connection pool, so its close() would wait forever; don't wait for it.
      await Promise.race([connectwise.close(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      msw.close();
      store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tenant body for the demo instance, with its API member's keys. */
export function demoTenantInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    site: demoSite,
    publicKey: demoApiMember.publicKey,
    privateKey: demoApiMember.privateKey,
    apiMemberId: demoApiMember.identifier,
    ...overrides,
  };
}

/** A second key pair for the demo API member, as ConnectWise lets an API member hold several. */
export function addKeyPair(h: { sim: Sim }, companyId: string, publicKey: string, privateKey: string): () => void {
  const instance = h.sim.world.get(companyId)!;
  const member = instance.apiMembers.find((a) => a.identifier === demoApiMember.identifier)!;
  const pair = { ...member, publicKey, privateKey };
  instance.apiMembers.push(pair);
  return () => {
    instance.apiMembers.splice(instance.apiMembers.indexOf(pair), 1);
  };
}
