import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantView } from '../../../shared/admin-api.ts';
import { TenantEvents } from '../../../shared/admin-events.ts';
import { PodConfig } from '../../../shared/pod-api.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';

/**
 * Issue 11, never a blank pod: a page whose address is not one of the tenant's frames the
 * pod. The server answers a notice that exactly that address may frame, records the address
 * for the admin, and once the admin allows it the pod itself is served to it.
 */

let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack();
});
afterAll(async () => stack?.stop());

const podUrl = (query = '?id=1&screen=ticket', companyId = 'demo') => `${stack.url}/hostedapis/connectwiseiframe/${companyId}${query}`;

/** What Chromium sends for a cross-origin frame: the framing page's origin and Sec-Fetch-Dest. */
const framedBy = (referer: string, dest = 'iframe') => ({ Referer: referer, 'Sec-Fetch-Dest': dest });

function directive(csp: string | null, name: string): string | undefined {
  return csp
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `) || d === name);
}

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.url}/api/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

const demoView = async () => TenantView.parse((await admin('GET', '/tenants/demo')).json);

async function setExtraOrigins(extraOrigins: string[]) {
  const view = await demoView();
  return admin('PUT', '/tenants/demo', { site: view.siteInput, extraOrigins, version: view.version });
}

describe('a pod page framed by an address the tenant does not list', () => {
  const stranger = 'https://cw2.msp.example';

  it('answers a notice naming the address, framable by exactly that address, with no script and no tenant data', async () => {
    const res = await fetch(podUrl(), { headers: framedBy(`${stranger}/v4_6_release/services/system_io/router/openrecord.rails?recordType=ServiceFv`) });
    expect(res.status).toBe(403);
    expect(directive(res.headers.get('content-security-policy'), 'frame-ancestors')).toBe(`frame-ancestors ${stranger}`);
    const html = await res.text();
    expect(html).toContain(`opened from ${stranger}`);
    expect(html).toContain('Allow this address');
    expect(html).not.toMatch(/<script|\son\w+=/i);
    expect(html).not.toContain(stack.simulator!.origin);
    expect(html).not.toContain('pod-config');
    expect(html).not.toContain('demo');
  });

  it('lists the address for the admin with when and how often it was seen', async () => {
    const other = 'https://cw3.demo-msp.example';
    await fetch(podUrl(), { headers: framedBy(`${other}/`) });
    await fetch(podUrl(), { headers: framedBy(`${other}/v4_6_release/`) });
    const view = await demoView();
    const entry = view.refusedOrigins.find((r) => r.origin === other);
    expect(entry).toMatchObject({ origin: other, count: 2 });
    expect(Date.parse(entry!.lastSeen)).toBeGreaterThanOrEqual(Date.parse(entry!.firstSeen));
    // Most recent first.
    expect(view.refusedOrigins[0]!.origin).toBe(other);
    const events = TenantEvents.parse((await admin('GET', '/tenants/demo/events')).json);
    expect(events.lastHour.refusedFramings).toBeGreaterThanOrEqual(2);
    expect(events.failures[0]).toMatchObject({ code: 'origin_not_allowed', member: null, ticket: null });
  });

  it('serves the pod to the address once the admin allows it, in frame-ancestors and the pod\'s expected origins', async () => {
    const allowed = 'https://cw4.demo-msp.example';
    await fetch(podUrl(), { headers: framedBy(allowed) });
    expect((await demoView()).refusedOrigins.map((r) => r.origin)).toContain(allowed);

    const put = await setExtraOrigins([allowed]);
    expect(put.status).toBe(200);
    expect(TenantView.parse(put.json).extraOrigins).toEqual([allowed]);

    const res = await fetch(podUrl(), { headers: framedBy(`${allowed}/v4_6_release/`) });
    expect(res.status).toBe(200);
    expect(directive(res.headers.get('content-security-policy'), 'frame-ancestors')).toBe(`frame-ancestors ${stack.simulator!.origin} ${allowed}`);
    const match = /<script type="application\/json" id="pod-config">([^<]*)<\/script>/.exec(await res.text());
    expect(PodConfig.parse(JSON.parse(match![1]!)).expectedOrigins).toEqual([stack.simulator!.origin, allowed]);
    // No longer news for the admin.
    expect((await demoView()).refusedOrigins.map((r) => r.origin)).not.toContain(allowed);
    await setExtraOrigins([]);
  });

  it('stores an extra origin in the form the browser sends (the one exact-origin normaliser), and refuses one that is no origin', async () => {
    const view = await demoView();
    const bad = await admin('PUT', '/tenants/demo', { site: view.siteInput, extraOrigins: ['https://*.demo-msp.example'], version: view.version });
    expect(bad.status).toBe(422);
    expect((await demoView()).version).toBe(view.version);
    const res = await admin('PUT', '/tenants/demo', { site: view.siteInput, extraOrigins: ['https://CW5.demo-msp.example/'], version: view.version });
    expect(res.status).toBe(200);
    expect((await demoView()).extraOrigins).toEqual(['https://cw5.demo-msp.example']);
    const after = await demoView();
    const reset = await admin('PUT', '/tenants/demo', { site: after.siteInput, extraOrigins: [], version: after.version });
    expect(reset.status).toBe(200);
  });

  it('keeps the pod for the tenant\'s own site, and without a Referer (blocked by frame-ancestors as before)', async () => {
    const cases: Record<string, string>[] = [framedBy(`${stack.simulator!.origin}/v4_6_release/`), {}, { 'Sec-Fetch-Dest': 'iframe' }];
    for (const headers of cases) {
      const res = await fetch(podUrl(), { headers });
      expect(res.status).toBe(200);
      expect(directive(res.headers.get('content-security-policy'), 'frame-ancestors')).toBe(`frame-ancestors ${stack.simulator!.origin}`);
    }
  });

  it('ignores the Referer of a top-level visit (a link to the pod is not a host)', async () => {
    const res = await fetch(podUrl(), { headers: framedBy('https://wiki.demo-msp.example/setup', 'document') });
    expect(res.status).toBe(200);
    expect((await demoView()).refusedOrigins.map((r) => r.origin)).not.toContain('https://wiki.demo-msp.example');
  });

  it('tells the Nilear address that the pod URL lacks nilear=true, and does not offer to allow it', async () => {
    const nilear = stack.simulator!.nilearOrigin;
    const res = await fetch(podUrl(), { headers: framedBy(`${nilear}/`) });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('nilear=true');
    expect((await demoView()).refusedOrigins.map((r) => r.origin)).not.toContain(nilear);
    // With the flag it is the pod.
    expect((await fetch(podUrl('?id=1&nilear=true'), { headers: framedBy(`${nilear}/`) })).status).toBe(200);
  });

  it('lets the framing address show the "not set up" notice too, instead of a blank frame', async () => {
    const res = await fetch(podUrl('', 'no-such-company'), { headers: framedBy(`${stranger}/`) });
    expect(res.status).toBe(404);
    expect(directive(res.headers.get('content-security-policy'), 'frame-ancestors')).toContain(stranger);
  });
});

describe('CSP violation reports', () => {
  const report = (directiveName: string) => ({
    'csp-report': {
      'document-uri': podUrl(),
      'effective-directive': directiveName,
      'violated-directive': directiveName,
      'blocked-uri': podUrl(),
    },
  });
  const post = (body: unknown, companyId = 'demo', type = 'application/csp-report') =>
    fetch(`${stack.url}/hostedapis/connectwiseiframe/${companyId}/csp-report`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: JSON.stringify(body),
    });
  const blocked = async () => TenantEvents.parse((await admin('GET', '/tenants/demo/events')).json).lastHour.blockedFramings;

  it('names the report endpoint in the pod page\'s policy', async () => {
    const res = await fetch(podUrl());
    expect(directive(res.headers.get('content-security-policy'), 'report-uri')).toBe('report-uri /hostedapis/connectwiseiframe/demo/csp-report');
  });

  it('counts blocked framings per tenant, and nothing else', async () => {
    const before = await blocked();
    expect((await post(report('frame-ancestors'))).status).toBe(204);
    expect((await post(report('script-src-elem'))).status).toBe(204);
    expect(
      (await post([{ type: 'csp-violation', body: { effectiveDirective: 'frame-ancestors' } }], 'demo', 'application/reports+json')).status,
    ).toBe(204);
    expect(await blocked()).toBe(before + 2);
  });

  it('answers a coded error for what is not a report, or an unknown company', async () => {
    expect((await post({ hello: 'world' })).status).toBe(400);
    expect((await post(report('frame-ancestors'), 'no-such-company')).status).toBe(404);
  });
});
