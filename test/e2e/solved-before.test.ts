import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';
import { solvedBeforeLabels, solvedClosedSeeds } from '../../server/simulated-connectwise/fixtures/solved-before.ts';

/**
 * Solved before end to end: the demo ticket in the developer harness, in real Chromium. The
 * card costs nothing until the technician asks; then it shows a related ticket's resolution,
 * and "open" asks ConnectWise for a new tab.
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

describe('Solved before in the pod', () => {
  it('shows, on request, how a related ticket was resolved, and opens it in a new ConnectWise tab', async () => {
    const page = await browser.newPage();
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/solved-before')) asked.push(new URL(request.url()).pathname);
    });
    await page.goto(stack.simulator!.harnessUrl);
    const ticketId = Number((await page.getByTestId('ticket-input').inputValue()).trim());
    const label = solvedBeforeLabels.find((l) => l.openTicketId === ticketId);
    expect(label, `the harness opens a labelled demo ticket (${ticketId})`).toBeDefined();

    const card = pod(page).getByTestId('card-solved-before');
    await card.waitFor({ timeout: 15_000 });
    expect(await pod(page).getByTestId('solved-before-state').getAttribute('data-state')).toBe('idle');
    expect(asked).toEqual([]);

    await pod(page).getByTestId('solved-before-find').click();
    await expect.poll(async () => pod(page).getByTestId('solved-before-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('results');
    expect(asked).toEqual([`/api/pod/demo/tickets/${ticketId}/solved-before`]);

    const first = pod(page).getByTestId('solved-before-hit').first();
    const firstText = (await first.textContent()) ?? '';
    const id = Number(/#(\d+)/.exec(firstText)?.[1]);
    expect(label!.related).toContain(id);
    const seed = solvedClosedSeeds.find((s) => s.id === id)!;
    // The resolution is shown (trimmed to the card's clamp), with why the ticket was picked.
    expect((await first.getByTestId('solved-before-resolution').textContent()) ?? '').toContain(seed.resolution.slice(0, 60));
    expect(await first.getByTestId('solved-before-why').textContent()).toMatch(/same configuration|matches: /);

    await first.getByRole('button', { name: `Open ticket #${id} in a new tab` }).click();
    await expect
      .poll(async () => (await page.getByTestId('message-log').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(new RegExp(`openScreen[\\s\\S]*${id}`));
    await page.close();
  });
});
