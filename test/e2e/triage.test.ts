import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';
import { creditHoldMessage } from '../../server/simulated-connectwise/fixtures/reference-data.ts';

/**
 * Issue 12 end to end: the harness frames the real pod on a ticket of a company whose status
 * notifies (Tailspin Toys, "Credit Hold"); the message is at the top, above the ticket. And
 * axe-core checks the pod's states and the admin console: no serious or critical violation.
 */

// axe-core over whole pages is slow on a shared 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

let stack: PodStack;
let browser: Browser;
let context: BrowserContext;
let axeSource: string;

/** A ticket of Tailspin Toys (status Credit Hold, notifyFlag set). */
const creditHoldTicket = 1007;

beforeAll(async () => {
  stack = await startPodStack();
  browser = await launchChromium();
  // Injecting axe's script needs to get past the pages' own CSP (script-src 'self').
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 1000 } });
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.stop();
});

async function podFrame(page: Page): Promise<Frame> {
  await page.getByTestId('pod-frame').waitFor();
  for (let i = 0; i < 100; i++) {
    const frame = page.frames().find((f) => f.url().includes('/hostedapis/connectwiseiframe/'));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error('the pod frame never loaded');
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Serious and critical axe-core violations of a page or frame, as readable lines. */
async function seriousViolations(target: Page | Frame): Promise<string[]> {
  await target.evaluate(axeSource);
  const violations = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('triage at a glance, end to end', () => {
  it('a company on a notifying status shows its message above the ticket', async () => {
    const page = await context.newPage();
    await page.goto(`${stack.simulator!.harnessUrl}?ticket=${creditHoldTicket}`);
    const frame = await podFrame(page);
    const pod = page.frameLocator('[data-testid=pod-frame]');
    await pod.getByTestId('company-status-message').waitFor({ timeout: 20_000 });
    expect(await pod.getByTestId('company-status-message').textContent()).toBe(creditHoldMessage);
    const alertBox = await pod.getByTestId('company-status-alert').boundingBox();
    const headerBox = await pod.getByTestId('ticket-header').boundingBox();
    expect(alertBox!.y + alertBox!.height).toBeLessThanOrEqual(headerBox!.y + 0.5);
    // The header carries the priority in the tenant's colour and the SLA's next due moment.
    expect(await pod.getByTestId('ticket-priority').locator('.priority-dot').count()).toBe(1);
    expect(await pod.getByTestId('ticket-sla').getAttribute('data-sla')).toMatch(/^(overdue|soon|ok)$/);

    // The harness's own ticket panel agrees with the pod.
    expect(await page.getByTestId('harness-ticket-status').textContent()).toBe(await pod.getByTestId('ticket-status').textContent());
    expect(await page.getByTestId('harness-ticket-priority').textContent()).toBe(await pod.getByTestId('ticket-priority').textContent());

    expect(await seriousViolations(frame)).toEqual([]);
    await page.close();
  });

  it('the pod’s other states have no serious or critical accessibility violation', async () => {
    const page = await context.newPage();
    // A ticket ConnectWise does not have: the failure screen.
    await page.goto(`${stack.simulator!.harnessUrl}?ticket=999999`);
    const frame = await podFrame(page);
    await page.frameLocator('[data-testid=pod-frame]').getByTestId('pod-state').waitFor({ timeout: 20_000 });
    await expect.poll(async () => page.frameLocator('[data-testid=pod-frame]').getByRole('alert').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await seriousViolations(frame)).toEqual([]);
    await page.close();

    // Opened outside any frame.
    const outside = await context.newPage();
    await outside.goto(`${stack.url}/hostedapis/connectwiseiframe/demo?id=1001&screen=ticket`);
    await outside.getByTestId('pod-state').waitFor();
    expect(await seriousViolations(outside)).toEqual([]);
    await outside.close();
  });

  it('the admin console has no serious or critical accessibility violation', async () => {
    const page = await context.newPage();
    await page.goto(`${stack.url}/admin`);
    await page.getByTestId('admin-token').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('admin-token').fill(stack.adminToken);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('add-tenant').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('add-tenant').click();
    await page.getByTestId('field-site').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
