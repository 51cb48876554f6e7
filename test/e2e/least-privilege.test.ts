import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';
import {
  demoBoardIds,
  demoCompanyId,
  demoNoNotesTechnician,
  demoRestrictedTechnician,
  demoTechnician,
  type DemoMember,
} from '../../server/simulated-connectwise/demo.ts';

/**
 * Issue 10 in real Chromium, the pod framed by the developer harness: a technician sees
 * only what their own ConnectWise rights allow, wherever they look in the pod.
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

const pod = (page: Page) => page.frameLocator('[data-testid=pod-frame]');

/** The harness with `member` signed in, showing `ticketId`. */
async function openAs(member: DemoMember, ticketId: number): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(stack.simulator!.harnessUrl);
  const options = await page.getByTestId('member-select').locator('option').evaluateAll((els) =>
    els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent ?? '' })),
  );
  const option = options.find((o) => o.text.includes(`(${member.identifier})`) && !/forged/i.test(o.text));
  expect(option, `the harness offers ${member.identifier}`).toBeDefined();
  await page.getByTestId('member-select').selectOption(option!.value);
  await page.getByTestId('ticket-input').fill(String(ticketId));
  await page.getByTestId('open-ticket').click();
  await expect.poll(async () => pod(page).getByTestId('ticket-id').textContent(), { timeout: 20_000 }).toBe(`#${ticketId}`);
  await pod(page).getByTestId('card-other-tickets').waitFor({ timeout: 20_000 });
  return page;
}

const hiddenBoardTickets = () =>
  stack
    .simulator!.sim.world.get(demoCompanyId)!
    .tickets.filter((t) => (t['board'] as { id: number }).id === demoBoardIds.networkOps)
    .map((t) => ({ id: t.id, summary: String(t['summary']) }));

describe('least privilege in the pod', () => {
  it('never shows a restricted technician a ticket on a board hidden from them', async () => {
    // 1008 (Help Desk, Fabrikam): the company also has open tickets on Network Operations.
    const page = await openAs(demoRestrictedTechnician, 1008);
    const text = (await pod(page).locator('body').textContent()) ?? '';
    expect(text).toContain('Replace UPS batteries');
    for (const hidden of hiddenBoardTickets()) {
      expect(text).not.toContain(hidden.summary);
      expect(text).not.toContain(`#${hidden.id}`);
    }
    await page.close();
  });

  it('shows the unrestricted technician those tickets (positive control)', async () => {
    const page = await openAs(demoTechnician, 1008);
    await expect
      .poll(async () => (await pod(page).getByTestId('card-other-tickets').textContent()) ?? '', { timeout: 15_000 })
      .toContain('Site-to-site VPN down');
    await page.close();
  });

  it('shows a technician without time rights the explanation, not the entries', async () => {
    const page = await openAs(demoNoNotesTechnician, 1001);
    const time = pod(page).getByTestId('card-time');
    await time.waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await time.textContent()) ?? '').toMatch(/Your ConnectWise role does not include time entries/);
    const text = (await time.textContent()) ?? '';
    expect(text).not.toMatch(/Actual|Billable|Jane Smith/);
    expect((await pod(page).getByTestId('card-notes').textContent()) ?? '').toMatch(/Your ConnectWise role does not include ticket notes/);
    await page.close();
  });

  it('shows a technician with time rights the entries (positive control)', async () => {
    const page = await openAs(demoTechnician, 1001);
    const time = pod(page).getByTestId('card-time');
    await expect.poll(async () => (await time.textContent()) ?? '', { timeout: 15_000 }).toMatch(/Actual/);
    expect((await time.textContent()) ?? '').not.toMatch(/does not include/);
    await page.close();
  });
});
