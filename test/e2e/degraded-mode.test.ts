import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';
import { demoCompanyId, demoTechnician } from '../../server/simulated-connectwise/demo.ts';

/**
 * Degraded mode in real Chromium, inside the harness: when ConnectWise fails after a good
 * view, the pod keeps that ticket's context under a "may be out of date" banner; it never
 * shows one ticket's context for another; and with the tenant's circuit open it says that
 * ConnectWise is not responding, with Retry.
 */

let stack: PodStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startPodStack();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const sim = () => stack.simulator!.sim;
/** Tickets shown so far: their parts and the member's access stay cached for 30 s. */
const viewed = new Set<number>();
const pod = (page: Page): FrameLocator => page.frameLocator('[data-testid=pod-frame]');
const text = async (page: Page, testId: string) => (await pod(page).getByTestId(testId).first().textContent()) ?? '';

async function currentTicketId(page: Page): Promise<number> {
  return Number((await page.getByTestId('ticket-input').inputValue()).trim());
}

/** Ticket ids the harness offers, other than those given. */
async function otherTickets(page: Page, except: number[]): Promise<number[]> {
  const values = await page.locator('datalist option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
  return [...new Set(values.map(Number))].filter((id) => Number.isInteger(id) && id > 0 && !except.includes(id));
}

async function openTicket(page: Page, id: number): Promise<void> {
  await page.getByTestId('ticket-input').fill(String(id));
  await page.getByTestId('open-ticket').click();
}

function summaryOf(id: number): string {
  const ticket = sim().world.get(demoCompanyId)!.tickets.find((t) => t.id === id);
  return String(ticket?.summary ?? '');
}

async function shows(page: Page, id: number): Promise<void> {
  viewed.add(id);
  await expect.poll(() => text(page, 'ticket-id'), { timeout: 20_000 }).toBe(`#${id}`);
  await pod(page).getByTestId('card-company').waitFor({ timeout: 20_000 });
}

describe('degraded mode', () => {
  it('keeps the ticket under a stale banner when a refresh fails, and never carries it to another ticket', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(stack.simulator!.harnessUrl);
      await page.getByTestId('pod-frame').waitFor();
      const first = await currentTicketId(page);
      await shows(page, first);
      const firstSummary = summaryOf(first);
      expect(firstSummary.length).toBeGreaterThan(0);
      await expect.poll(() => text(page, 'ticket-header'), { timeout: 5000 }).toContain(firstSummary);

      // ConnectWise starts failing on every call; the technician refreshes.
      sim().faults.set({ kind: 'server-error', status: 503 });
      const callsBefore = sim().calls.count();
      await pod(page).getByTestId('refresh-button').click();
      await pod(page).getByTestId('stale-banner').waitFor({ timeout: 15_000 });
      expect(sim().calls.count()).toBeGreaterThan(callsBefore);
      expect(await text(page, 'stale-banner')).toMatch(/may be out of date/i);
      // The old context is still there, for the same ticket.
      expect(await text(page, 'ticket-id')).toBe(`#${first}`);
      expect(await text(page, 'ticket-header')).toContain(firstSummary);
      expect(await pod(page).getByTestId('card-company').count()).toBeGreaterThan(0);

      // Another ticket, with ConnectWise still failing: a failure, not the old ticket's data.
      const [second] = await otherTickets(page, [first]);
      expect(second).toBeDefined();
      await openTicket(page, second!);
      await expect.poll(() => text(page, 'pod-state'), { timeout: 15_000 }).toMatch(/ConnectWise is not responding/);
      await pod(page).getByTestId('retry-button').waitFor();
      expect(await pod(page).getByTestId('ticket-header').count()).toBe(0);
      expect(await pod(page).getByTestId('card-company').count()).toBe(0);
      expect(await pod(page).getByTestId('stale-banner').count()).toBe(0);
      const podText = (await pod(page).locator('body').textContent()) ?? '';
      expect(podText).not.toContain(firstSummary);
      expect(podText).not.toContain(`#${first}`);

      // ConnectWise recovers; Retry shows the new ticket.
      sim().faults.clear();
      await pod(page).getByTestId('retry-button').click();
      await shows(page, second!);
      await expect.poll(() => text(page, 'ticket-header'), { timeout: 5000 }).toContain(summaryOf(second!));
      expect(await pod(page).getByTestId('stale-banner').count()).toBe(0);
    } finally {
      sim().faults.clear();
      await page.close();
    }
  });

  // Last: the circuit stays open for its cool-down (20 s by default) after this test.
  it("says ConnectWise is not responding, with the wait and Retry, while the tenant's circuit is open", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(stack.simulator!.harnessUrl);
      await page.getByTestId('pod-frame').waitFor();
      const first = await currentTicketId(page);
      await shows(page, first);

      // Another technician of the same company meets a ConnectWise that keeps failing: the
      // tenant's circuit opens (the breaker is per tenant, not per member).
      const session = await fetch(`${stack.url}/api/pod/${demoCompanyId}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          companyid: demoCompanyId,
          memberid: demoTechnician.identifier,
          memberHash: demoTechnician.memberHash,
          memberContext: demoTechnician.memberContext,
        }),
      });
      const { token } = (await session.json()) as { token: string };
      sim().faults.set({ kind: 'server-error', status: 503 });
      let open = false;
      for (let i = 0; i < 20 && !open; i++) {
        const res = await fetch(`${stack.url}/api/pod/${demoCompanyId}/tickets/${first}?fresh=1`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(12_000),
        });
        const body = (await res.json()) as { error?: { retryAfter?: number } };
        open = res.status === 502 && body.error?.retryAfter !== undefined;
      }
      expect(open, 'the circuit opened').toBe(true);

      // The pod in the browser opens a ticket it has not shown (nothing cached): answered at
      // once, without ConnectWise.
      const callsBefore = sim().calls.count();
      const [next] = await otherTickets(page, [first, ...viewed]);
      expect(next).toBeDefined();
      await openTicket(page, next!);
      await expect.poll(() => text(page, 'pod-state'), { timeout: 15_000 }).toMatch(/ConnectWise is not responding/);
      expect(await text(page, 'pod-state')).toMatch(/Wait \d+ s, then retry/);
      await pod(page).getByTestId('retry-button').waitFor();
      expect(await pod(page).getByTestId('card-company').count()).toBe(0);
      expect(sim().calls.count()).toBe(callsBefore);
    } finally {
      sim().faults.clear();
      await page.close();
    }
  });
});
