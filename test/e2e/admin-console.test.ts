import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';
import { demoApiMember, demoClientId, demoCompanyId } from '../../server/simulated-connectwise/demo.ts';

/**
 * An MSP admin's first session, in real Chromium: sign in, set the company up against the
 * simulated ConnectWise, read the checklist, copy the pod URL — and the pod then works in the
 * harness with exactly that URL.
 */

let stack: PodStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startPodStack();
  browser = await launchChromium();
  // Start from nothing: the demo seed is removed so the admin sets the company up by hand.
  const res = await fetch(`${stack.url}/api/admin/tenants/${demoCompanyId}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${stack.adminToken}` },
  });
  expect(res.status).toBe(204);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the admin console', () => {
  // Two browser pages, a save that tests before it stores, the full test, then the pod: on the
  // shared 2-core machine this takes 25–45 s.
  it('sets up a company, shows the passing checklist, and its copied pod URL works in the harness', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${stack.url}/admin`);
    await page.getByTestId('admin-token').fill('wrong-token-value');
    await page.getByTestId('sign-in').click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/admin token is not right/i);

    await page.getByTestId('admin-token').fill(stack.adminToken);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('add-tenant').click();

    await page.getByTestId('field-region').selectOption('onprem');
    await page.getByTestId('field-site').fill(stack.simulator!.origin);
    await page.getByTestId('field-companyId').fill(demoCompanyId);
    await page.getByTestId('field-publicKey').fill(demoApiMember.publicKey);
    await page.getByTestId('field-privateKey').fill(demoApiMember.privateKey);
    await page.getByTestId('field-apiMemberId').fill(demoApiMember.identifier);
    await page.getByTestId('field-clientId').fill(demoClientId);
    await page.getByTestId('save-tenant').click();

    await page.getByTestId('test-checklist').waitFor({ timeout: 20_000 });
    for (const step of ['site', 'company', 'keys', 'client_id', 'api_member', 'security_role', 'permissions', 'boards']) {
      expect(await page.getByTestId(`step-${step}`).getAttribute('data-status'), step).toBe('ok');
    }
    expect(await page.getByTestId('editor-message').textContent()).toMatch(/test passed/i);
    // The private key never comes back to the browser.
    expect(await page.content()).not.toContain(demoApiMember.privateKey);

    await page.getByTestId('pod-url-copy').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`${stack.url}/hostedapis/connectwiseiframe/${demoCompanyId}?id=[cw_id]&screen=[cw_screen]`);
    expect(await page.getByTestId('hosted-origin').inputValue()).toBe(stack.url);

    const harness = await context.newPage();
    harness.on('pageerror', (e) => errors.push(e.message));
    await harness.goto(stack.simulator!.harnessUrl);
    await harness.getByTestId('pod-url').fill(copied);
    await harness.getByTestId('load-pod-url').click();
    const pod = harness.frameLocator('[data-testid=pod-frame]');
    await pod.getByTestId('card-company').waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
