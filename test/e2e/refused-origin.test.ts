import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TenantView } from '../../shared/admin-api.ts';
import { TenantEvents } from '../../shared/admin-events.ts';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';

/**
 * Issue 11, never a blank pod, in real Chromium: a technician reaching ConnectWise at an
 * address the tenant does not list sees why instead of a blank frame; the admin sees the
 * address, allows it, and the pod then works there.
 *
 * The simulated ConnectWise answers on two host names: 127.0.0.1 (the tenant's site) and
 * localhost (here not the tenant's: its Nilear origin is cleared), which plays the second
 * address of an on-premise ConnectWise server.
 */

let stack: PodStack;
let browser: Browser;
let host: Server;
let hostOrigin: string;

beforeAll(async () => {
  stack = await startPodStack();
  browser = await launchChromium();
  // A page that frames whatever it is given; `?noreferrer` sends no Referer.
  host = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const src = (url.searchParams.get('src') ?? '').replace(/"/g, '&quot;');
    const policy = url.searchParams.has('noreferrer') ? '<meta name="referrer" content="no-referrer">' : '';
    res.setHeader('Content-Type', 'text/html');
    res.end(`<!doctype html>${policy}<title>not the tenant's ConnectWise</title><iframe id="f" src="${src}" width="400" height="300"></iframe>`);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => host?.close(resolve));
  await stack?.stop();
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${stack.url}/api/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}

const demo = async () => TenantView.parse((await admin('GET', '/tenants/demo')).json);

async function framedPod(page: Page) {
  for (let i = 0; i < 100; i++) {
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (frame) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error('no frame');
}

const podUrl = () => `${stack.url}/hostedapis/connectwiseiframe/demo?id=1001&screen=ticket`;

describe('a pod framed at an address the tenant does not list', () => {
  it('shows a notice naming that address instead of a blank frame', async () => {
    const page = await browser.newPage();
    await page.goto(`${hostOrigin}/?src=${encodeURIComponent(podUrl())}`);
    const frame = await framedPod(page);
    await expect.poll(() => frame.locator('h1').textContent().catch(() => null), { timeout: 10_000 }).toBe('The pod is not allowed at this address');
    expect(await frame.locator('main').textContent()).toContain(`opened from ${hostOrigin}`);
    expect(await frame.evaluate(() => document.scripts.length)).toBe(0);
    await page.close();

    const refused = (await demo()).refusedOrigins.find((r) => r.origin === hostOrigin);
    expect(refused).toMatchObject({ origin: hostOrigin, count: 1 });
  }, 90_000);

  it('stays blocked by frame-ancestors when the page sends no Referer, and the browser\'s report is counted', async () => {
    const blocked = async () => TenantEvents.parse((await admin('GET', '/tenants/demo/events')).json).lastHour.blockedFramings;
    const before = await blocked();
    const page = await browser.newPage();
    await page.goto(`${hostOrigin}/?noreferrer&src=${encodeURIComponent(podUrl())}`);
    const frame = await framedPod(page);
    await expect.poll(() => frame.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/);
    await expect.poll(blocked, { timeout: 10_000 }).toBe(before + 1);
    await page.close();
  }, 90_000);

  it('shows the ticket at that address once the admin allows it', async () => {
    const harnessOrigin = stack.simulator!.nilearOrigin; // http://localhost:S, the same simulator
    let view = await demo();
    // The demo tenant uses localhost:S as its Nilear origin: clear it, so the address is a stranger.
    expect((await admin('PUT', '/tenants/demo', { site: view.siteInput, nilearOrigin: null, version: view.version })).status).toBe(200);

    const page = await browser.newPage();
    // The harness picks Nilear mode on that host name unless told otherwise.
    await page.goto(`${harnessOrigin}/?mode=connectwise`);
    const pod = page.frameLocator('[data-testid=pod-frame]');
    await expect.poll(() => pod.locator('h1').first().textContent().catch(() => null), { timeout: 15_000 }).toBe('The pod is not allowed at this address');
    await expect.poll(async () => (await demo()).refusedOrigins.map((r) => r.origin), { timeout: 5_000 }).toContain(harnessOrigin);

    view = await demo();
    const allowed = await admin('PUT', '/tenants/demo', { site: view.siteInput, extraOrigins: [harnessOrigin], version: view.version });
    expect(allowed.status).toBe(200);

    await page.reload();
    await pod.getByTestId('ticket-header').waitFor({ timeout: 15_000 });
    await pod.getByTestId('card-company').waitFor({ timeout: 15_000 });
    expect((await demo()).refusedOrigins.map((r) => r.origin)).not.toContain(harnessOrigin);
    await page.close();

    const events = TenantEvents.parse((await admin('GET', '/tenants/demo/events')).json);
    expect(events.lastHour.refusedFramings).toBeGreaterThanOrEqual(2);
    expect(events.lastHour.contextServed).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
