import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { demoCompanyId, demoTechnician, demoTicketIds } from '../../server/simulated-connectwise/demo.ts';
import { framedPageCsp, securityHeaders } from '../../server/http/security-headers.ts';
import { launchChromium } from '../support/browser.ts';
import { startPodStack } from '../support/pod-stack.ts';
import { median, ms, row, times, type Row } from './report.ts';

export const BOOT_LOADS = 10;
export const BOOT_TARGET_RATIO = 1.3;

/**
 * The platform's floor for starting a cross-site frame: a minimal page whose one module
 * script posts a message to its parent, as the pod's does when it starts its handshake.
 * The pod server cannot serve such a page without a production change, so a tiny Express
 * app in the bench's process serves it, built from the server's own security-headers
 * module: the same helmet policy app-wide and the pod page's frame-ancestors CSP for the
 * demo tenant's ConnectWise origin, no-store on the page, immutable caching on the script.
 * measureBoot() checks that its security headers equal the pod page's, header by header.
 */
const BLANK_HTML = '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/assets/blank.js"></script></head><body></body></html>';
const BLANK_JS = "parent.postMessage({ type: 'blank-started' }, location.ancestorOrigins[0] ?? '*');\nperformance.mark('blank:started');\n";
const BLANK_PATH = '/blank-frame';

async function startBlankServer(publicUrlFor: (port: number) => string, frameAncestors: readonly string[]): Promise<{ server: Server; url: string }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const publicUrl = publicUrlFor(port);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders({ publicUrl }));
  app.get(BLANK_PATH, framedPageCsp({ publicUrl }, frameAncestors), (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(BLANK_HTML);
  });
  app.get('/assets/blank.js', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type('js').send(BLANK_JS);
  });
  server.on('request', app);
  return { server, url: `${publicUrl}${BLANK_PATH}` };
}

/** Security headers of a page, for comparing the blank page's policy with the pod page's. */
const POLICY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  'cache-control',
];

async function policyOf(url: string): Promise<Record<string, string | null>> {
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return Object.fromEntries(POLICY_HEADERS.map((h) => [h, res.headers.get(h)]));
}

async function frameWith(page: Page, urlPart: string): Promise<Frame> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f.url().includes(urlPart));
    if (frame) return frame;
    await page.waitForTimeout(10);
  }
  throw new Error(`no frame at ${urlPart}`);
}

/**
 * One measurement through the harness's own path: the harness opens (framing the pod on
 * ticket 1001), the pod shows its context (nothing else runs), then the developer's
 * "Pod URL" field is set to `target` and "Load URL" pressed, which gives the frame a new
 * iframe element; the figure is `mark`'s time from that frame's navigation start.
 */
async function bootOnce(browser: BrowserContext, harnessUrl: string, target: string, mark: string): Promise<number> {
  const page = await browser.newPage();
  try {
    const url = new URL(harnessUrl);
    url.searchParams.set('ticket', String(demoTicketIds.helpDeskOpen));
    url.searchParams.set('member', demoTechnician.identifier);
    await page.goto(url.href);
    const first = await frameWith(page, '/hostedapis/connectwiseiframe/');
    await first.waitForFunction(() => performance.getEntriesByName('pod:context-shown').length > 0, undefined, { timeout: 15_000 });
    await page.getByTestId('pod-url').fill(target);
    await page.getByTestId('load-pod-url').click();
    // Loading a URL gives the frame a new iframe element: the first one is detached.
    const fresh = await newFrame(page, first);
    await fresh.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: 15_000 });
    return await fresh.evaluate((m) => performance.getEntriesByName(m)[0]!.startTime, mark);
  } finally {
    await page.close();
  }
}

async function newFrame(page: Page, old: Frame): Promise<Frame> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const f = page.frames().find((x) => x !== page.mainFrame() && x !== old && !x.isDetached());
    if (f) return f;
    await page.waitForTimeout(10);
  }
  throw new Error('the reloaded frame never appeared');
}

export type BootFigures = { pod: number[]; blank: number[]; policyDiff: string[] };

/**
 * Pod boot beside blank boot, interleaved, each through the harness's "Load URL" path in a
 * settled harness: frame navigation start → the page's script running (the pod's
 * 'pod:started' mark, after it sent its handshake; the blank's 'blank:started', after its
 * one postMessage). One preliminary load of each fills the HTTP cache, as a technician's.
 */
export async function measureBoot(): Promise<BootFigures> {
  const stack = await startPodStack();
  const sim = stack.simulator!;
  // localhost: cross-site from the harness (127.0.0.1) and same-site with the pod, as the pod is.
  const blank = await startBlankServer((port) => `http://localhost:${port}`, [sim.origin]);
  const chromium = await launchChromium();
  const browser = await chromium.newContext();
  try {
    const podUrl = `${stack.url}/hostedapis/connectwiseiframe/${demoCompanyId}?id=${demoTicketIds.helpDeskOpen}&screen=ticket`;
    const [podPolicy, blankPolicy] = await Promise.all([policyOf(podUrl), policyOf(blank.url)]);
    const policyDiff = POLICY_HEADERS.filter((h) => podPolicy[h] !== blankPolicy[h]).map(
      (h) => `${h}: pod ${JSON.stringify(podPolicy[h])}, blank ${JSON.stringify(blankPolicy[h])}`,
    );
    const pod: number[] = [];
    const blankTimes: number[] = [];
    for (let i = 0; i <= BOOT_LOADS; i++) {
      const p = await bootOnce(browser, sim.harnessUrl, podUrl, 'pod:started');
      const b = await bootOnce(browser, sim.harnessUrl, blank.url, 'blank:started');
      if (i === 0) continue;
      pod.push(p);
      blankTimes.push(b);
    }
    return { pod, blank: blankTimes, policyDiff };
  } finally {
    await chromium.close();
    blank.server.closeAllConnections();
    blank.server.close();
    await stack.stop();
  }
}

export function bootRows(b: BootFigures): Row[] {
  const pod = median(b.pod);
  const blank = median(b.blank);
  const ratio = pod / blank;
  return [
    row({
      figure: `Frame start → script running, pod vs blank cross-site frame (median of ${b.pod.length} each, harness "Load URL")`,
      value: ms(pod),
      baseline: `blank ${ms(blank)}`,
      ratio: times(ratio),
      target: `≤ ${BOOT_TARGET_RATIO}×`,
      pass: ratio <= BOOT_TARGET_RATIO,
    }),
    row({
      figure: '  blank page served with the pod page\'s security headers',
      value: b.policyDiff.length === 0 ? 'identical' : b.policyDiff.join('; '),
      target: 'identical',
      pass: b.policyDiff.length === 0,
    }),
  ];
}
