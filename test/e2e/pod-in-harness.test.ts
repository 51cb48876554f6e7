import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';
import { demoForgedMemberHash, demoTechnician } from '../../server/simulated-connectwise/demo.ts';

/**
 * The product as a developer sees it after `npm start`: the harness (simulated ConnectWise,
 * its own origin) frames the real pod (another origin) and plays ConnectWise's side of the
 * Hosted API protocol, in real Chromium.
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

async function openHarness(url = stack.simulator!.harnessUrl): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  return page;
}

const pod = (page: Page) => page.frameLocator('[data-testid=pod-frame]');

async function podFrame(page: Page): Promise<Frame> {
  await page.getByTestId('pod-frame').waitFor();
  for (let i = 0; i < 50; i++) {
    const frame = page.frames().find((f) => f.url().includes('/hostedapis/connectwiseiframe/'));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error('the pod frame never loaded');
}

async function currentTicketId(page: Page): Promise<string> {
  return (await page.getByTestId('ticket-input').inputValue()).trim();
}

async function logText(page: Page): Promise<string> {
  return (await page.getByTestId('message-log').textContent()) ?? '';
}

describe('the pod inside the developer harness', () => {
  it('runs on another origin than the harness, completes the handshake and shows the ticket', async () => {
    const page = await openHarness();
    const frame = await podFrame(page);
    expect(new URL(frame.url()).origin).toBe(stack.url);
    expect(new URL(page.url()).origin).toBe(stack.simulator!.origin);
    expect(new URL(frame.url()).origin).not.toBe(new URL(page.url()).origin);

    const ticketId = await currentTicketId(page);
    await pod(page).getByTestId('ticket-header').waitFor();
    await expect.poll(async () => pod(page).getByTestId('ticket-id').textContent(), { timeout: 15_000 }).toBe(`#${ticketId}`);
    await pod(page).getByTestId('card-company').waitFor({ timeout: 15_000 });

    // Both directions of the protocol went through, as JSON strings.
    const log = await logText(page);
    expect(log).toContain('ready');
    expect(log).toContain('MessageFrameID');
    expect(log).toContain('getMemberAuthentication');
    expect(log).toContain('getmemberauthentication');
    expect(log).toContain('onLoad');
    await page.close();
  });

  it('switches to another ticket on a new onLoad without reloading the pod', async () => {
    const page = await openHarness();
    const frame = await podFrame(page);
    const first = await currentTicketId(page);
    await expect.poll(async () => pod(page).getByTestId('ticket-id').textContent(), { timeout: 15_000 }).toBe(`#${first}`);
    await frame.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });

    const options = await page.locator('[data-testid=ticket-input] + datalist option, datalist option').evaluateAll((els) =>
      els.map((e) => (e as HTMLOptionElement).value),
    );
    const second = options.find((v) => v !== first) ?? String(Number(first) + 1);
    await page.getByTestId('ticket-input').fill(second);
    await page.getByTestId('open-ticket').click();

    await expect.poll(async () => pod(page).getByTestId('ticket-id').textContent(), { timeout: 15_000 }).toBe(`#${second}`);
    const sameDocument = await frame.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
    expect(sameDocument).toBe(true);
    await page.close();
  });

  it('shows the ticket’s agreement with the view, and the company’s agreements only when the technician asks', async () => {
    const page = await browser.newPage();
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/agreements')) asked.push(request.url());
    });
    await page.goto(stack.simulator!.harnessUrl);
    const ticketId = await currentTicketId(page);
    await expect.poll(async () => pod(page).getByTestId('ticket-id').textContent(), { timeout: 15_000 }).toBe(`#${ticketId}`);
    await pod(page).getByTestId('card-agreements').waitFor({ timeout: 15_000 });
    expect(await pod(page).getByTestId('ticket-agreement').textContent()).toMatch(/^(This ticket: .+|No agreement on this ticket\.)$/);
    expect(await pod(page).getByTestId('agreements-company').textContent()).toBe('');
    expect(asked).toEqual([]);

    const toggle = pod(page).getByTestId('agreements-toggle');
    await toggle.click();
    await expect.poll(async () => toggle.getAttribute('aria-expanded'), { timeout: 15_000 }).toBe('true');
    await expect.poll(async () => toggle.getAttribute('aria-busy'), { timeout: 15_000 }).toBe('false');
    await expect
      .poll(async () => (await pod(page).getByTestId('agreements-company').textContent()) ?? '', { timeout: 15_000 })
      .toMatch(/Active|No active agreements for this company\./);
    expect(asked.map((url) => new URL(url).pathname)).toEqual([`/api/pod/demo/tickets/${ticketId}/agreements`]);
    await page.close();
  });

  it('ignores a message from a foreign origin', async () => {
    const page = await openHarness();
    const first = await currentTicketId(page);
    await expect.poll(async () => pod(page).getByTestId('ticket-id').textContent(), { timeout: 15_000 }).toBe(`#${first}`);
    await page.getByTestId('foreign-message').click();
    await expect.poll(async () => (await page.getByTestId('foreign-result').textContent()) ?? '', { timeout: 10_000 }).toMatch(/ignored/i);
    // The pod is still on its ticket and did not re-context to what the foreign page sent.
    expect(await pod(page).getByTestId('ticket-id').textContent()).toBe(`#${first}`);
    await page.close();
  });

  it('works in Nilear mode, from the Nilear origin', async () => {
    const page = await openHarness();
    await page.getByTestId('mode-select').selectOption('nilear');
    await page.waitForURL((url) => url.origin === stack.simulator!.nilearOrigin, { timeout: 10_000 });
    const frame = await podFrame(page);
    expect(frame.url()).toContain('nilear=true');
    const ticketId = await currentTicketId(page);
    await expect.poll(async () => pod(page).getByTestId('ticket-id').textContent(), { timeout: 15_000 }).toBe(`#${ticketId}`);
    // Nilear's replies carry no _id and no codeBase; the pod still verified the member.
    const log = await logText(page);
    expect(log).toContain('getmemberauthentication');
    expect(log).not.toContain('codeBase');
    await page.close();
  });

  it('tells a forged member why, and shows no ticket data', async () => {
    const page = await openHarness();
    await podFrame(page);
    const options = await page.getByTestId('member-select').locator('option').evaluateAll((els) =>
      els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent ?? '' })),
    );
    const forged = options.find((o) => /forged/i.test(o.text) || /forged/i.test(o.value));
    expect(forged, 'the harness offers a forged member').toBeDefined();
    await page.getByTestId('member-select').selectOption(forged!.value);
    await expect.poll(async () => (await pod(page).getByTestId('pod-state').textContent()) ?? '', { timeout: 20_000 }).toMatch(
      /could not confirm who you are|not verified/i,
    );
    expect(await pod(page).getByTestId('ticket-header').count()).toBe(0);
    expect(await pod(page).getByTestId('card-company').count()).toBe(0);
    const podText = (await pod(page).locator('body').textContent()) ?? '';
    expect(podText).not.toContain(demoForgedMemberHash);
    expect(podText).not.toContain(demoTechnician.memberHash);
    await page.close();
  });

  it('loads the pod with zero CSP violations', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
    });
    await page.goto(stack.simulator!.harnessUrl);
    const ticketId = await currentTicketId(page);
    await expect.poll(async () => pod(page).getByTestId('ticket-id').textContent(), { timeout: 15_000 }).toBe(`#${ticketId}`);
    await pod(page).getByTestId('card-company').waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    await page.close();
  });
});
