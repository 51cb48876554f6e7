import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { stepIds } from '../../../../shared/admin-api.ts';
import { TestChecklist } from '../../../../pod/admin/views/TestChecklist.tsx';
import { cannotRegisterTest, failingKeysTest, passingTest, registerRight, testResult } from '../support/admin-fixtures.ts';
import { mount, unmountAll } from '../support/mount.ts';

afterEach(unmountAll);

const stepEl = (id: string) => document.querySelector<HTMLElement>(`[data-testid="step-${id}"]`)!;
const fixOf = (id: string) => stepEl(id).querySelector('.fix')?.textContent ?? null;

describe('connection test checklist', () => {
  it('shows every step in order, ✓ with its message, and says the test passed', async () => {
    const result = passingTest();
    mount(<TestChecklist result={result} />);
    await expect.element(page.getByRole('heading', { name: /Connection test: passed/ })).toBeVisible();
    const items = [...document.querySelectorAll<HTMLElement>('[data-testid^="step-"]')];
    expect(items.map((li) => li.dataset.testid)).toEqual(stepIds.map((id) => `step-${id}`));
    for (const s of result.steps) {
      const li = stepEl(s.id);
      expect(li.dataset.status).toBe('ok');
      expect(li.querySelector('.icon')!.textContent).toBe('✓');
      expect(li.textContent).toContain(s.message);
      expect(li.querySelector('.fix')).toBeNull();
    }
    expect(stepEl('keys').textContent).toContain('The API keys are accepted');
  });

  it('marks a failure ✗ with its fix beside it, and skipped steps – without one', async () => {
    const result = failingKeysTest();
    mount(<TestChecklist result={result} />);
    await expect.element(page.getByRole('heading', { name: /Connection test: needs attention/ })).toBeVisible();
    expect(stepEl('site').dataset.status).toBe('ok');
    expect(stepEl('keys').dataset.status).toBe('failed');
    expect(stepEl('keys').querySelector('.icon')!.textContent).toBe('✗');
    expect(fixOf('keys')).toBe(`Fix: ${result.steps.find((s) => s.id === 'keys')!.fix}`);
    for (const id of ['client_id', 'api_member', 'security_role', 'permissions', 'boards', 'pod_registration']) {
      expect(stepEl(id).dataset.status).toBe('skipped');
      expect(stepEl(id).querySelector('.icon')!.textContent).toBe('–');
      expect(fixOf(id)).toBeNull();
    }
    // Screen readers hear the status, not the icon.
    expect(stepEl('keys').querySelector('.icon')!.getAttribute('aria-hidden')).toBe('true');
    expect(stepEl('keys').querySelector('.visually-hidden')!.textContent).toBe('(failed)');
  });

  it('never shows a fix beside a step that passed', () => {
    mount(<TestChecklist result={testResult({ site: { status: 'ok', fix: 'Nothing to do.' } })} />);
    expect(fixOf('site')).toBeNull();
  });

  it('shows a warning ! with its fix and lists the missing permissions', () => {
    const result = cannotRegisterTest();
    mount(<TestChecklist result={result} />);
    const permissions = stepEl('permissions');
    expect(permissions.dataset.status).toBe('warning');
    expect(permissions.querySelector('.icon')!.textContent).toBe('!');
    expect(fixOf('permissions')).toBe('Fix: Grant the rights listed, then run the test again.');
    expect([...permissions.querySelectorAll('ul.missing li')].map((li) => li.textContent)).toEqual([registerRight.uiPath]);
    // A warning is not a failure.
    expect(document.querySelector('h3')!.textContent).toContain('passed');
  });

  it('lists several missing permissions under a failed step', () => {
    const missing = ['System › Security Roles › Pod API › Service Desk › Service Tickets › Inquire Level = All', 'System › Security Roles › Pod API › Companies › Company Maintenance › Inquire Level = All'];
    mount(<TestChecklist result={testResult({ permissions: { status: 'failed', message: 'The role lacks 2 rights.', fix: 'Grant them.', missing } })} />);
    expect([...stepEl('permissions').querySelectorAll('ul.missing li')].map((li) => li.textContent)).toEqual(missing);
    expect(stepEl('site').querySelector('ul.missing')).toBeNull();
  });

  it('names a cloud server with its version, region and codebase', () => {
    mount(<TestChecklist result={testResult({}, { server: { codebase: 'v2024_1/', version: 'v2024.1', isCloud: true, region: 'eu' } })} />);
    const line = document.querySelector('[data-testid="test-checklist"] p.muted')!.textContent!;
    expect(line).toMatch(/ConnectWise v2024\.1 cloud \(eu\)\s*, codebase v2024_1\//);
  });

  it('names an on-premise server', () => {
    mount(<TestChecklist result={testResult({}, { server: { codebase: 'v4_6_release/', version: 'v2023.2', isCloud: false, region: null } })} />);
    const line = document.querySelector('[data-testid="test-checklist"] p.muted')!.textContent!;
    expect(line).toContain('ConnectWise v2023.2 on-premise');
    expect(line).toContain('codebase v4_6_release/');
    expect(line).not.toContain('cloud');
  });

  it('shows no server line when the site never answered', () => {
    const result = testResult({ site: { status: 'failed', message: 'cw.example.com did not answer.', fix: 'Check the site.' } }, { server: undefined });
    delete (result as { server?: unknown }).server;
    mount(<TestChecklist result={result} />);
    expect(document.querySelector('[data-testid="test-checklist"] p.muted')).toBeNull();
    expect(fixOf('site')).toBe('Fix: Check the site.');
  });

  it('shows when the test ran, in local time', () => {
    const result = passingTest();
    mount(<TestChecklist result={result} />);
    expect(document.querySelector('h3')!.textContent).toContain(new Date(result.ranAt).toLocaleString());
  });
});
