import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';

/**
 * frame-ancestors is what lets ConnectWise — and only ConnectWise — frame the pod. Here a page
 * on an origin that is not the tenant's tries to frame it, in real Chromium.
 */

let stack: PodStack;
let browser: Browser;
let foreign: Server;
let foreignOrigin: string;

beforeAll(async () => {
  stack = await startPodStack();
  browser = await launchChromium();
  foreign = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const src = url.searchParams.get('src') ?? '';
    // Issue 11: a page that sends its address gets a notice instead; this one sends none.
    const policy = url.searchParams.has('noreferrer') ? '<meta name="referrer" content="no-referrer">' : '';
    res.setHeader('Content-Type', 'text/html');
    res.end(`<!doctype html>${policy}<title>not ConnectWise</title><iframe id="f" src="${src.replace(/"/g, '&quot;')}" width="400" height="300"></iframe>`);
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => foreign?.close(resolve));
  await stack?.stop();
});

describe('who may frame the pod', () => {
  it('refuses to render inside a page on a foreign origin', async () => {
    const podUrl = `${stack.url}/hostedapis/connectwiseiframe/demo?id=1&screen=ticket`;
    const page = await browser.newPage();
    await page.goto(`${foreignOrigin}/?noreferrer&src=${encodeURIComponent(podUrl)}`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    // Chromium replaces a frame blocked by frame-ancestors with its error page.
    await expect.poll(() => frame!.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/);
    const rendered = await frame!.evaluate(() => document.querySelector('[data-testid=pod-state], [data-testid=ticket-header]') !== null).catch(() => false);
    expect(rendered).toBe(false);
    await page.close();
  });

  it('shows a page on a foreign origin that names itself only the "not allowed" notice, never the pod', async () => {
    const podUrl = `${stack.url}/hostedapis/connectwiseiframe/demo?id=1&screen=ticket`;
    const page = await browser.newPage();
    await page.goto(`${foreignOrigin}/?src=${encodeURIComponent(podUrl)}`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await expect.poll(() => frame!.locator('h1').textContent().catch(() => null), { timeout: 10_000 }).toBe('The pod is not allowed at this address');
    const rendered = await frame!.evaluate(() => document.querySelector('[data-testid=pod-state], [data-testid=ticket-header]') !== null);
    expect(rendered).toBe(false);
    await page.close();
  });

  it('renders inside the tenant\'s ConnectWise origin', async () => {
    const page = await browser.newPage();
    await page.goto(stack.simulator!.harnessUrl);
    const pod = page.frameLocator('[data-testid=pod-frame]');
    await pod.getByTestId('ticket-header').waitFor({ timeout: 15_000 });
    await page.close();
  });
});

describe('a browser that blocks third-party cookies', () => {
  it('still shows the ticket, because the pod uses no cookies', async () => {
    const strict = await launchChromium(['--test-third-party-cookie-phaseout']);
    try {
      const context = await strict.newContext();
      const page = await context.newPage();
      await page.goto(stack.simulator!.harnessUrl);
      const pod = page.frameLocator('[data-testid=pod-frame]');
      await pod.getByTestId('card-company').waitFor({ timeout: 15_000 });
      expect(await context.cookies(stack.url)).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
