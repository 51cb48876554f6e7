import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';
import { demoApiMember, demoCompanyId } from '../../server/simulated-connectwise/demo.ts';

/**
 * Issue 11 item 3 in real Chromium, inside the harness: when ConnectWise stops accepting the
 * tenant's API keys (rotated in ConnectWise, not in the pod), technicians see one screen
 * saying the pod's connection needs their admin, with the failure in one line — not a card
 * per section saying "Authentication failed", and not "sign in again".
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

const pod = (page: Page): FrameLocator => page.frameLocator('[data-testid=pod-frame]');
const apiMember = () => stack.simulator!.sim.world.get(demoCompanyId)!.apiMembers.find((m) => m.publicKey === demoApiMember.publicKey)!;

describe('a tenant-level failure in the pod', () => {
  it('is one screen for the admin, the failure in one line; the pod works again once the keys match', async () => {
    const page = await browser.newPage();
    try {
      // Someone regenerates the API member's private key in ConnectWise.
      apiMember().privateKey = 'regenerated-in-connectwise-0000';
      await page.goto(stack.simulator!.harnessUrl);
      const state = pod(page).getByTestId('pod-state');
      await expect.poll(async () => (await state.textContent()) ?? '', { timeout: 20_000 }).toContain(
        "This pod's connection to ConnectWise needs your admin",
      );
      const text = (await state.textContent()) ?? '';
      expect(await pod(page).getByTestId('pod-state-body').textContent()).toBe(
        'ConnectWise does not accept the pod’s API keys (they were changed, removed or mistyped).',
      );
      expect(text).not.toMatch(/sign (in|out)|Authentication failed|127\.0\.0\.1/i);
      expect(await pod(page).locator('[data-testid^="card-"]').count()).toBe(0);

      // Positive control: with the key ConnectWise expects, the same pod shows the ticket.
      apiMember().privateKey = demoApiMember.privateKey;
      await page.reload();
      await pod(page).getByTestId('card-company').waitFor({ timeout: 20_000 });
      expect(await pod(page).getByTestId('pod-state').count()).toBe(0);
    } finally {
      await page.close();
    }
    // Two cold pod loads in Chromium on a shared, busy machine.
  }, 90_000);
});
