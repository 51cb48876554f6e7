import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { podPageRouter } from '../../../server/routes/pod-page.ts';
import { TenantWrite, type Tenant, type TenantStore } from '../../../server/tenants/tenant.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { serveApp } from '../../support/serve-app.ts';
import { tenantWrite } from '../tenants/fixtures.ts';

/**
 * Issue 10 item 5: every origin a tenant stores passes the pod's exact-origin normaliser, and
 * the site gets the same host check when private networks are allowed.
 */
let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack({ ALLOW_PRIVATE_NETWORK: 'true' });
});
afterAll(async () => stack?.stop());

async function put(body: Record<string, unknown>) {
  const current = (await (await admin('GET')).json()) as { siteInput: string; version: number };
  return admin('PUT', { site: current.siteInput, version: current.version, ...body });
}

function admin(method: string, body?: unknown) {
  return fetch(`${stack.url}/api/admin/tenants/demo`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

describe('origins a tenant stores are exact', () => {
  it.each([
    ['a wildcard', 'https://*'],
    ['a wildcard label', 'https://*.example.com'],
    ['a path', 'https://mtx.example.com/app'],
    ['a query', 'https://mtx.example.com?a=1'],
    ['credentials', 'https://user:pw@mtx.example.com'],
    ['a space', 'https://mtx.example.com https://evil.example'],
    ['a ";"', 'https://a;b.example'],
    ['a ","', 'https://a.example,https://b.example'],
  ])('refuses a Nilear origin with %s (422 naming nilearOrigin), and the tenant keeps working', async (_what, nilearOrigin) => {
    const res = await put({ nilearOrigin });
    expect(res.status).toBe(422);
    const body = ApiErrorBody.parse(await res.json());
    expect(body.error.fields?.map((f) => f.path)).toEqual(['nilearOrigin']);
    const page = await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo?nilear=true`);
    expect(page.status).toBe(200);
    await page.body?.cancel();
  });

  it('stores a pasted origin in the canonical form browsers send (positive control)', async () => {
    const res = await put({ nilearOrigin: 'HTTPS://MTX.Example.com:443/' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { nilearOrigin: string }).nilearOrigin).toBe('https://mtx.example.com');
    // Back to the demo's Nilear origin for the other tests.
    expect((await put({ nilearOrigin: stack.simulator!.nilearOrigin })).status).toBe(200);
  });

  it.each(['http://a;b.localhost:8080', 'http://*.localhost', 'https://a,b.example'])(
    'refuses the site %j even with ALLOW_PRIVATE_NETWORK=true',
    async (site) => {
      const res = await put({ site });
      expect(res.status).toBe(422);
      expect(ApiErrorBody.parse(await res.json()).error.fields?.map((f) => f.path)).toEqual(['site']);
    },
  );
});

describe('a bad origin stored before the check', () => {
  async function pageFor(nilearOrigin: string) {
    const tenant = {
      ...TenantWrite.parse(tenantWrite('acme', { nilearOrigin })),
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      version: 1,
      lastTest: null,
    } satisfies Tenant;
    const store = { get: async () => tenant } as unknown as TenantStore;
    const app = express();
    app.use(podPageRouter({ store, web: { page: () => '<html><head></head><body></body></html>' } as never, publicUrl: 'https://pod.example.com' }));
    const url = await serveApp(app);
    return fetch(`${url}/hostedapis/connectwiseiframe/acme?nilear=true`);
  }

  it('neither breaks the page (500) nor widens frame-ancestors: Nilear counts as not set up', async () => {
    for (const bad of ['https://*', 'https://a;b.example']) {
      const res = await pageFor(bad);
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/Nilear mode is not set up/);
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors https:\/\/na\.myconnectwise\.net;/);
    }
    // Positive control: a good stored origin frames in Nilear mode.
    const ok = await pageFor('https://mtx.example.com');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toMatch(/frame-ancestors https:\/\/na\.myconnectwise\.net https:\/\/mtx\.example\.com/);
  });
});
