import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as z from 'zod/mini';
import { HarnessConfig, SimCallList } from '../../../shared/harness-api.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/simulator.ts';
import { startSimulatedConnectWiseServer, type SimulatedConnectWiseServer } from '../../../server/simulated-connectwise/http-server.ts';
import { demoForgedMemberHash, demoTechnician, demoTicketIds } from '../../../server/simulated-connectwise/demo.ts';
import { apiHeaders, memberCookieHeaders } from './sim-fixtures.ts';

const sim = createSimulatedConnectWise();
let webRoot: string;
let served: SimulatedConnectWiseServer;
const podOrigin = 'http://localhost:4999';

beforeAll(async () => {
  webRoot = await mkdtemp(path.join(tmpdir(), 'sim-web-'));
  await mkdir(path.join(webRoot, 'harness'), { recursive: true });
  await mkdir(path.join(webRoot, 'assets'), { recursive: true });
  await writeFile(path.join(webRoot, 'harness', 'index.html'), '<!doctype html><title>Harness</title><script type="module" src="/assets/harness-abc123.js"></script>');
  await writeFile(path.join(webRoot, 'assets', 'harness-abc123.js'), 'console.log("harness");');
  await writeFile(path.join(webRoot, 'secret.txt'), 'outside assets');
  served = await startSimulatedConnectWiseServer({ sim, webRoot, podOrigin, nilearOriginFor: (port) => `http://localhost:${port}` });
});
afterAll(async () => {
  await served.close();
  await rm(webRoot, { recursive: true, force: true });
});
beforeEach(() => sim.reset());

const api = (p: string) => `${served.origin}/v4_6_release/apis/3.0/${p}`;

/** A raw request, so paths like /assets/../x reach the server unnormalised. */
function rawGet(pathname: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(served.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: pathname, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the simulated ConnectWise over HTTP', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(new URL(served.origin).hostname).toBe('127.0.0.1');
  });

  it('answers companyinfo naming its own host and port as SiteUrl', async () => {
    const body = (await (await fetch(`${served.origin}/login/companyinfo/demo`)).json()) as Record<string, unknown>;
    expect(body['SiteUrl']).toBe(new URL(served.origin).host);
  });

  it('serves the same handlers: keys, conditions and member checks', async () => {
    const r = await fetch(api(`service/tickets?conditions=${encodeURIComponent('closedFlag=true')}&fields=id`), { headers: apiHeaders() });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { id: number }[]).map((t) => t.id)).toContain(demoTicketIds.closed);
    expect((await fetch(api('system/myMembers/info'), { headers: memberCookieHeaders(demoTechnician) })).status).toBe(200);
    expect((await fetch(api('system/myMembers/info'), { headers: memberCookieHeaders(demoTechnician, { hash: demoForgedMemberHash }) })).status).toBe(401);
  });

  it('passes request bodies through (Hosted API setup POST)', async () => {
    const r = await fetch(api('system/connectwisehostedsetups'), {
      method: 'POST',
      headers: { ...apiHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ screenId: 4, description: 'Pod', url: `${podOrigin}/x?id=[cw_id]`, type: 'Pod' }),
    });
    expect(r.status).toBe(201);
  });

  it('answers 404 in ConnectWise shape for paths it does not know', async () => {
    const r = await fetch(`${served.origin}/nothing/here`);
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ code: 'NotFound' });
  });
});

describe('faults over HTTP', () => {
  const ticket = () => api(`service/tickets/${demoTicketIds.helpDeskOpen}`);

  it('resets the connection', async () => {
    sim.faults.set({ kind: 'reset', count: 1 });
    const err = await fetch(ticket(), { headers: apiHeaders() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(String((err as { cause?: { code?: string } }).cause?.code)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect((await fetch(ticket(), { headers: apiHeaders() })).status).toBe(200);
  });

  it('hangs until the client gives up, then logs status 0', async () => {
    sim.faults.set({ kind: 'timeout', count: 1 });
    const controller = new AbortController();
    const pending = fetch(ticket(), { headers: apiHeaders(), signal: controller.signal });
    await expect.poll(() => sim.faults.hangingCount()).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => sim.calls.list().at(-1)?.status).toBe(0);
    expect(sim.faults.hangingCount()).toBe(0);
  });

  it('answers 429 with Retry-After and a login page as given', async () => {
    sim.faults.set([{ kind: 'rate-limit', retryAfterSeconds: 3, count: 1 }, { kind: 'html-login', count: 1 }]);
    const limited = await fetch(ticket(), { headers: apiHeaders() });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    const login = await fetch(ticket(), { headers: apiHeaders() });
    expect(login.headers.get('content-type')).toContain('text/html');
  });

  it('cuts truncated JSON short over the wire', async () => {
    sim.faults.set({ kind: 'truncated-json', count: 1 });
    const text = await (await fetch(ticket(), { headers: apiHeaders() })).text();
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});

describe('control API', () => {
  it('adds fault rules from JSON and lists them', async () => {
    const r = await fetch(`${served.origin}/__sim/faults`, { method: 'POST', body: JSON.stringify([{ kind: 'server-error', status: 502, path: 'system/info', count: 2 }]) });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ faults: [{ kind: 'server-error', status: 502, path: 'system/info', count: 2 }] });
    expect((await fetch(api('system/info'), { headers: apiHeaders() })).status).toBe(502);
  });

  it('refuses bad fault input with 400 and a reason', async () => {
    const notJson = await fetch(`${served.origin}/__sim/faults`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/JSON/);
    const badRule = await fetch(`${served.origin}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'server-error', status: 418 }) });
    expect(badRule.status).toBe(400);
    expect(((await badRule.json()) as { error: string }).error).toMatch(/Invalid fault rules/);
    expect(sim.faults.list()).toEqual([]);
  });

  it('clears faults', async () => {
    sim.faults.set({ kind: 'reset' });
    expect((await fetch(`${served.origin}/__sim/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.faults.list()).toEqual([]);
  });

  it('lists and clears the call log, without the control calls themselves', async () => {
    await fetch(api('system/info'), { headers: apiHeaders() });
    const list = z.parse(SimCallList, await (await fetch(`${served.origin}/__sim/calls`)).json());
    expect(list.calls).toEqual([expect.objectContaining({ path: '/v4_6_release/apis/3.0/system/info', auth: 'api', status: 200 })]);
    expect((await fetch(`${served.origin}/__sim/calls`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.calls.list()).toEqual([]);
  });

  it('resets the world', async () => {
    sim.world.get('demo')!.tickets = [];
    expect((await fetch(`${served.origin}/__sim/reset`, { method: 'POST' })).status).toBe(204);
    expect(sim.world.get('demo')!.tickets.length).toBeGreaterThan(0);
  });

  it('serves a harness config the harness schema accepts', async () => {
    const config = z.parse(HarnessConfig, await (await fetch(`${served.origin}/__sim/harness-config`)).json());
    expect(config.simulatorOrigin).toBe(served.origin);
    expect(config.nilearOrigin).toBe(`http://localhost:${new URL(served.origin).port}`);
    expect(config.defaultPodUrl).toBe(`${podOrigin}/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]`);
  });

  it('answers 404 for an unknown control route', async () => {
    expect((await fetch(`${served.origin}/__sim/nothing`)).status).toBe(404);
  });
});

describe('harness hosting', () => {
  it('serves the harness page at / and /harness with a CSP that frames any pod, framable only by the simulator itself', async () => {
    for (const p of ['/', '/harness']) {
      const r = await fetch(`${served.origin}${p}`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('<title>Harness</title>');
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain('frame-src http: https:');
      const ancestors = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('frame-ancestors'));
      expect(ancestors?.split(' ').slice(1)[0]).toBe(served.origin);
      expect(ancestors).not.toContain('*');
      expect(r.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed assets with immutable caching and a content type', async () => {
    const r = await fetch(`${served.origin}/assets/harness-abc123.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toContain('immutable');
    expect(r.headers.get('content-type')).toContain('text/javascript');
  });

  it('serves nothing outside assets/', async () => {
    expect((await rawGet('/assets/../secret.txt')).status).toBe(404);
    expect((await rawGet('/assets/%2e%2e/secret.txt')).status).toBe(404);
    expect((await rawGet('/assets/missing.js')).status).toBe(404);
  });

  it('says to build when the web root has no harness yet', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'sim-empty-'));
    const other = await startSimulatedConnectWiseServer({ sim: createSimulatedConnectWise(), webRoot: empty, podOrigin });
    try {
      const r = await fetch(`${other.origin}/`);
      expect(r.status).toBe(503);
      expect(await r.text()).toContain('npm run build');
    } finally {
      await other.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
