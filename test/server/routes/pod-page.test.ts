import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodConfig } from '../../../shared/pod-api.ts';
import { cloudRegions } from '../../../shared/connectwise-sites.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { demoTechnician, demoTicketIds } from '../../../server/simulated-connectwise/demo.ts';

let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack();
});
afterAll(async () => stack?.stop());

function directive(csp: string | null, name: string): string | undefined {
  return csp
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `) || d === name);
}

function podConfigOf(html: string) {
  const match = /<script type="application\/json" id="pod-config">([^<]*)<\/script>/.exec(html);
  expect(match, 'the page carries the pod-config data block').not.toBeNull();
  return PodConfig.parse(JSON.parse(match![1]!));
}

describe('GET /hostedapis/connectwiseiframe/:companyId', () => {
  it('lets exactly the tenant\'s ConnectWise origin frame the pod, with no X-Frame-Options', async () => {
    const res = await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo?id=1&screen=ticket`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBeNull();
    const csp = res.headers.get('content-security-policy');
    expect(directive(csp, 'frame-ancestors')).toBe(`frame-ancestors ${stack.simulator!.origin}`);
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'style-src')).toBe("style-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('passes the tenant settings as a JSON data block, never as inline code', async () => {
    const html = await (await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo`)).text();
    const scripts = [...html.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    for (const [, attrs, body] of scripts) {
      const isData = /type="application\/json"/.test(attrs!);
      const isExternal = /\ssrc="\/assets\//.test(attrs!);
      expect(isData || (isExternal && body === ''), `script ${attrs}`).toBe(true);
    }
    const config = podConfigOf(html);
    expect(config).toMatchObject({ companyId: 'demo', mode: 'connectwise', apiBase: '/api/pod/demo' });
    expect(config.expectedOrigins).toEqual([stack.simulator!.origin]);
    expect(html).not.toContain('demoPodPrivate');
  });

  it('adds the Nilear origin only in Nilear mode', async () => {
    const res = await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo?nilear=true&id=2`);
    expect(res.status).toBe(200);
    expect(directive(res.headers.get('content-security-policy'), 'frame-ancestors')).toBe(
      `frame-ancestors ${stack.simulator!.origin} ${stack.simulator!.nilearOrigin}`,
    );
    const config = podConfigOf(await res.text());
    expect(config.mode).toBe('nilear');
    expect(config.expectedOrigins).toEqual([stack.simulator!.origin, stack.simulator!.nilearOrigin]);
  });

  it('refuses a malformed nilear flag with a clear page', async () => {
    const res = await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo?nilear=maybe`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('nilear must be true or false');
  });

  it('finds the company whatever the case of its id', async () => {
    const res = await fetch(`${stack.url}/hostedapis/connectwiseiframe/DEMO`);
    expect(res.status).toBe(200);
  });

  it('answers an unknown company with a small page, frameable by ConnectWise cloud only', async () => {
    for (const id of ['nosuchco', '..%2F..%2Fetc', 'x'.repeat(150)]) {
      const res = await fetch(`${stack.url}/hostedapis/connectwiseiframe/${id}`);
      expect(res.status).toBe(404);
      const fa = directive(res.headers.get('content-security-policy'), 'frame-ancestors');
      expect(fa).toBe(`frame-ancestors ${cloudRegions.map((r) => `https://${r.uiHost}`).join(' ')}`);
      const html = await res.text();
      expect(html).toContain('not set up');
      expect(html).toContain(`${stack.url}/admin`);
      expect(html).not.toMatch(/<script/);
    }
  });
});

describe('the rest of the site', () => {
  it('may never be framed', async () => {
    for (const path of ['/admin', '/healthz', '/api/pod/demo/tickets/1']) {
      const res = await fetch(`${stack.url}${path}`);
      expect(directive(res.headers.get('content-security-policy'), 'frame-ancestors'), path).toBe("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), path).toBeNull();
    }
  });

  it('serves hashed assets as immutable', async () => {
    const html = await (await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo`)).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const res = await fetch(`${stack.url}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=31536000/);
  });

  it('compresses what is worth compressing', async () => {
    const res = await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo`, { headers: { 'Accept-Encoding': 'gzip' } });
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await res.text())?.[1];
    const js = await fetch(`${stack.url}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    const small = await fetch(`${stack.url}/healthz`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
  });

  it('answers unknown addresses with 404: JSON under /api, a page elsewhere', async () => {
    const api = await fetch(`${stack.url}/api/nothing/here`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    const page = await fetch(`${stack.url}/assets/no-such-file.js`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).not.toMatch(/<script|Cannot GET/);
  });

  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${stack.url}/readyz`)).status).toBe(200);
  });

  it('gives every response a request id', async () => {
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps /metrics behind the admin token and counts the pod funnel', async () => {
    expect((await fetch(`${stack.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0000000' } })).status).toBe(401);
    await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo`);
    const session = await fetch(`${stack.url}/api/pod/demo/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ companyid: 'demo', memberid: demoTechnician.identifier, memberHash: demoTechnician.memberHash, memberContext: 'web' }),
    });
    const { token } = (await session.json()) as { token: string };
    for (let i = 0; i < 2; i++) {
      const view = await fetch(`${stack.url}/api/pod/demo/tickets/${demoTicketIds.closed}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(view.status).toBe(200);
      await view.text();
    }
    const scrape = async () => {
      const res = await fetch(`${stack.url}/metrics`, { headers: { Authorization: `Bearer ${stack.adminToken}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    // A request is counted when its last byte leaves ('finish'), which may trail the client's
    // read of it by a moment.
    await expect.poll(scrape).toMatch(/pod_http_requests_total\{route="\/api\/pod\/:companyId\/tickets\/:ticketId",method="GET",status="200"\} 2/);
    const text = await scrape();
    expect(text).toMatch(/pod_funnel_total\{tenant="demo",step="page_served"\} [1-9]/);
    expect(text).toContain('pod_http_requests_total');
    expect(text).toMatch(/pod_funnel_total\{tenant="demo",step="session_verified"\} [1-9]/);
    expect(text).toMatch(/pod_funnel_total\{tenant="demo",step="context_served"\} 2/);
    expect(text).toMatch(/pod_connectwise_calls_total\{endpoint="service\/tickets\/:id",status="ok"\} [1-9]/);
    expect(text).toMatch(/pod_cache_events_total\{cache="ticket_context_parts",result="hit"\} [1-9]/);
    expect(text).toMatch(/pod_http_requests_total\{route="\/api\/pod\/:companyId\/tickets\/:ticketId",method="GET",status="200"\} 2/);
  });
});

describe('warm-up: the ticket is read from ConnectWise while the pod starts', () => {
  let warm: PodStack;
  beforeAll(async () => {
    warm = await startPodStack({ TRUST_PROXY: '1' });
  });
  afterAll(async () => warm?.stop());

  const ticketReads = (id: number) =>
    warm.simulator!.sim.calls.list().filter((c) => c.auth === 'api' && c.path.endsWith(`/service/tickets/${id}`));
  const framed = { 'Sec-Fetch-Dest': 'iframe' };
  const load = (query: string, headers: Record<string, string> = framed) =>
    fetch(`${warm.url}/hostedapis/connectwiseiframe/demo?${query}`, { headers });

  it('starts when ConnectWise frames the pod on a ticket, with the API keys', async () => {
    warm.simulator!.sim.calls.clear();
    const res = await load(`id=${demoTicketIds.helpDeskOpen}&screen=ticket`, { ...framed, 'X-Forwarded-For': '10.9.0.1' });
    expect(res.status).toBe(200);
    await expect.poll(() => ticketReads(demoTicketIds.helpDeskOpen).length).toBe(1);
  });

  it.each([
    ['opened outside a frame (a link preview, a crawler)', `id=1002&screen=ticket`, {}],
    ['another screen', `id=1002&screen=contact`, framed],
    ['[cw_id] not substituted', `id=[cw_id]&screen=ticket`, framed],
    ['no ticket id', `screen=ticket`, framed],
  ])('does not start when %s', async (_what, query, headers) => {
    warm.simulator!.sim.calls.clear();
    const res = await load(query, { ...headers, 'X-Forwarded-For': '10.9.0.2' });
    expect(res.status).toBe(200);
    // The page answers after the warm-up would have started its first read.
    await new Promise((r) => setTimeout(r, 100));
    expect(ticketReads(1002)).toEqual([]);
  });

  it('stops after 30 pages a minute from one address, and the page is still served', async () => {
    const sim = warm.simulator!.sim;
    const from = { ...framed, 'X-Forwarded-For': '10.9.0.3' };
    for (let i = 0; i < 30; i++) expect((await load(`id=${demoTicketIds.helpDeskOpen}`, from)).status).toBe(200);
    sim.calls.clear();
    const res = await load(`id=1002&screen=ticket`, from);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBeNull();
    expect(await res.text()).toContain('id="pod-config"');
    await new Promise((r) => setTimeout(r, 100));
    expect(ticketReads(1002)).toEqual([]);
    // Another address is not affected.
    await load(`id=1002&screen=ticket`, { ...framed, 'X-Forwarded-For': '10.9.0.4' });
    await expect.poll(() => ticketReads(1002).length).toBe(1);
  });
});
