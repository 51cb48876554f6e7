import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { options } from 'preact';
import { page, userEvent } from 'vitest/browser';
import { cloudRegions } from '../../../../shared/connectwise-sites.ts';
import type { TenantView } from '../../../../shared/admin-api.ts';
import { editing, tenants } from '../../../../pod/admin/state.ts';
import { TenantEditor } from '../../../../pod/admin/views/TenantEditor.tsx';
import { boardList, failingKeysTest, onPremiseTenant, passingTest, tenantView } from '../support/admin-fixtures.ts';
import { apiError, deferred, fakeAdminServer, json, noContent, type FakeAdminServer } from '../support/fake-admin-server.ts';
import { mount, unmountAll } from '../support/mount.ts';
import { resetAdminState } from '../support/reset-state.ts';

let server: FakeAdminServer;

beforeEach(async () => {
  await resetAdminState();
  server = fakeAdminServer();
});

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

/** The editor as App shows it: following the `editing` signal. */
function Editing() {
  return editing.value === null ? null : <TenantEditor companyId={editing.value} />;
}

function open(companyId: string, list: TenantView[] = []) {
  tenants.value = list;
  editing.value = companyId;
  return mount(<Editing />);
}

const field = (key: string) => page.getByTestId(`field-${key}`);
const input = (key: string) => document.querySelector<HTMLInputElement>(`[data-testid="field-${key}"]`)!;
const hintOf = (key: string) => document.getElementById(`${key}-hint`)?.textContent ?? null;
const errorOf = (key: string) => document.getElementById(`${key}-error`)?.textContent ?? null;

/** Waits until Preact has run the effects of what it rendered so far. */
const nextPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));

/** Holds Preact's after-paint effects (useEffect) until released, as a slow frame would. */
function holdPaints() {
  const held: (() => void)[] = [];
  options.requestAnimationFrame = (cb) => held.push(cb);
  return {
    release() {
      delete options.requestAnimationFrame;
      for (const cb of held.splice(0)) cb();
    },
  };
}

describe('tenant editor: a new company', () => {
  it('starts on North America with its site filled in and a preview of both origins', async () => {
    open('');
    await expect.element(page.getByRole('heading', { name: 'Add a ConnectWise company' })).toBeVisible();
    await expect.element(field('region')).toHaveValue('na');
    await expect.element(field('site')).toHaveValue('https://na.myconnectwise.net');
    expect(hintOf('site')).toBe('Web UI https://na.myconnectwise.net · REST API https://api-na.myconnectwise.net');
    expect(input('companyId').readOnly).toBe(false);
    expect(input('publicKey').placeholder).toBe('');
    expect(input('privateKey').placeholder).toBe('');
    expect(input('privateKey').type).toBe('password');
    expect(hintOf('clientId')).toBe("Leave empty to use the server's CW_CLIENT_ID.");
    expect(document.querySelector('[data-testid="test-checklist"]')).toBeNull();
    expect(document.querySelector('[data-testid="hosted-api-panel"]')).toBeNull();
    expect(document.querySelector('[data-testid="boards-picker"]')).toBeNull();
    await expect.element(page.getByRole('button', { name: 'Remove' })).not.toBeInTheDocument();
  });

  it('offers every cloud region and On-premise', () => {
    open('');
    const options = [...document.querySelectorAll<HTMLOptionElement>('#region option')].map((o) => o.value);
    expect(options).toEqual([...cloudRegions.map((r) => r.id), 'onprem']);
    expect(options).toEqual(['na', 'eu', 'au', 'aus', 'za', 'staging', 'onprem']);
  });

  for (const region of cloudRegions) {
    it(`fills the site for ${region.label}`, async () => {
      open('');
      if (region.id === 'na') await userEvent.selectOptions(field('region'), 'eu');
      await userEvent.selectOptions(field('region'), region.id);
      await expect.element(field('site')).toHaveValue(`https://${region.uiHost}`);
      expect(hintOf('site')).toBe(`Web UI https://${region.uiHost} · REST API https://${region.apiHost}`);
    });
  }

  it('clears a cloud site for On-premise, shows an on-premise example, puts the cursor there, then previews what is typed', async () => {
    open('');
    await userEvent.selectOptions(field('region'), 'onprem');
    await expect.element(field('site')).toHaveValue('');
    await expect.element(field('site')).toHaveFocus();
    expect(input('site').placeholder).toBe('https://cw.yourcompany.com');
    expect(hintOf('site')).toBe("Enter your ConnectWise server's address, e.g. https://cw.yourcompany.com.");
    await userEvent.fill(field('site'), 'cw.contoso.example/v4_6_release/apis/3.0');
    await expect.poll(() => hintOf('site')).toBe('Web UI https://cw.contoso.example · REST API https://cw.contoso.example');
    await userEvent.fill(field('site'), 'ftp://cw.contoso.example');
    await expect.poll(() => hintOf('site')).toBe('Only https:// (or http:// for a local test server) is allowed, not ftp://.');
  });

  it('keeps an on-premise address typed before On-premise is picked', async () => {
    open('');
    await userEvent.fill(field('site'), 'cw.contoso.example');
    await expect.element(field('region')).toHaveValue('onprem');
    await userEvent.selectOptions(field('region'), 'eu');
    await expect.element(field('site')).toHaveValue('https://eu.myconnectwise.net');
    await userEvent.fill(field('site'), 'cw.contoso.example');
    await userEvent.selectOptions(field('region'), 'onprem');
    await expect.element(field('site')).toHaveValue('cw.contoso.example');
  });

  it('moves the region to follow a typed or pasted site', async () => {
    open('');
    await userEvent.fill(field('site'), 'https://eu.myconnectwise.net');
    await expect.element(field('region')).toHaveValue('eu');
    await userEvent.fill(field('site'), 'https://api-za.myconnectwise.net/v4_6_release/apis/3.0');
    await expect.element(field('region')).toHaveValue('za');
    await userEvent.fill(field('site'), 'cw.contoso.example');
    await expect.element(field('region')).toHaveValue('onprem');
  });

  for (const region of ['na', 'eu', 'au', 'aus', 'za'] as const) {
    it(`takes the short form "${region}" as its region`, async () => {
      open('');
      if (region === 'na') await userEvent.selectOptions(field('region'), 'onprem');
      await userEvent.fill(field('site'), region);
      await expect.element(field('region')).toHaveValue(region);
      const cloud = cloudRegions.find((r) => r.id === region)!;
      expect(hintOf('site')).toBe(`Web UI https://${cloud.uiHost} · REST API https://${cloud.apiHost}`);
    });
  }

  it('asks "did you mean …myconnectwise.net?" for a .com look-alike, and takes the suggestion', async () => {
    open('');
    await userEvent.fill(field('site'), 'na.myconnectwise.com');
    await expect.element(page.getByTestId('site-suggestion')).toMatchTextContent('Did you mean https://na.myconnectwise.net?');
    await userEvent.click(page.getByRole('button', { name: 'https://na.myconnectwise.net' }));
    await expect.element(field('site')).toHaveValue('https://na.myconnectwise.net');
    await expect.element(field('region')).toHaveValue('na');
    expect(document.querySelector('[data-testid="site-suggestion"]')).toBeNull();
  });

  it('previews a typed cloud address as its UI and API origins', async () => {
    open('');
    await userEvent.fill(field('site'), 'https://api-eu.myconnectwise.net/v4_6_release/apis/3.0/');
    await expect.poll(() => hintOf('site')).toBe('Web UI https://eu.myconnectwise.net · REST API https://api-eu.myconnectwise.net');
  });

  it('asks for the company ID before sending anything', async () => {
    open('');
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => errorOf('companyId')).toBe('Enter the company ID you sign in to ConnectWise with.');
    expect(input('companyId').getAttribute('aria-invalid')).toBe('true');
    expect(input('companyId').getAttribute('aria-describedby')).toBe('companyId-error');
    expect(server.calls).toEqual([]);
  });

  it('saves with the keys, runs the test, shows the checklist and becomes the saved company', async () => {
    const saved = tenantView({ companyId: 'acme', version: 1, clientId: '6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4', nilearOrigin: 'https://mtx.example.com' });
    const result = failingKeysTest();
    server
      .on('PUT', '/tenants/acme', json(201, saved))
      .on('POST', '/tenants/acme/test', json(200, result))
      .on('GET', '/tenants', json(200, { tenants: [{ ...saved, lastTest: result }] }));
    open('');
    await userEvent.selectOptions(field('region'), 'eu');
    await userEvent.fill(field('companyId'), ' acme ');
    await userEvent.fill(field('publicKey'), ' pub-key-0001 ');
    await userEvent.fill(field('privateKey'), 'private-key-secret-0002');
    await userEvent.fill(field('apiMemberId'), 'podapi');
    await userEvent.fill(field('clientId'), '6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4');
    await userEvent.fill(field('nilearOrigin'), 'https://mtx.example.com');
    await userEvent.click(page.getByTestId('save-tenant'));

    await expect.element(page.getByTestId('editor-message')).toHaveTextContent('Saved, but the connection test found problems: see the fixes below.');
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['PUT /tenants/acme', 'POST /tenants/acme/test', 'GET /tenants']);
    expect(server.calls[0]!.body).toEqual({
      site: 'https://eu.myconnectwise.net',
      publicKey: 'pub-key-0001',
      privateKey: 'private-key-secret-0002',
      clientId: '6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4',
      apiMemberId: 'podapi',
      nilearOrigin: 'https://mtx.example.com',
      boardIds: [],
      sectionAccess: 'technician',
      podDisplay: { colorScheme: 'light', linkTemplates: [] },
    });
    expect(editing.value).toBe('acme');
    await expect.element(page.getByRole('heading', { name: 'Company acme' })).toBeVisible();
    await expect.element(page.getByTestId('test-checklist')).toBeVisible();
    await expect.element(page.getByTestId('step-keys')).toHaveAttribute('data-status', 'failed');
    // The keys are not kept in the form once saved.
    await expect.element(field('privateKey')).toHaveValue('');
    await expect.element(field('publicKey')).toHaveValue('');
    expect(document.body.innerHTML).not.toContain('private-key-secret-0002');
    // A failed test offers no boards.
    expect(document.querySelector('[data-testid="boards-picker"]')).toBeNull();
    expect(tenants.value.map((t) => t.companyId)).toEqual(['acme']);
  });

  it('shows the checklist of a passing first test and then offers the boards', async () => {
    const saved = tenantView({ companyId: 'acme', version: 1 });
    const result = passingTest();
    const test = deferred();
    server
      .on('PUT', '/tenants/acme', json(201, saved))
      .on('POST', '/tenants/acme/test', test.answer)
      .on('GET', '/tenants', json(200, { tenants: [{ ...saved, lastTest: result }] }))
      .on('GET', '/tenants/acme/boards', json(200, boardList()));
    open('');
    await userEvent.fill(field('companyId'), 'acme');
    await userEvent.fill(field('publicKey'), 'pub-key-0001');
    await userEvent.fill(field('privateKey'), 'private-key-0002');
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.element(page.getByRole('heading', { name: 'Company acme' })).toBeVisible();
    await nextPaint();
    test.release(json(200, result));
    await expect.element(page.getByTestId('editor-message')).toHaveTextContent('Saved, and the connection test passed.');
    await expect.element(page.getByTestId('test-checklist')).toBeVisible();
    await expect.element(page.getByTestId('boards-picker')).toBeVisible();
    await expect.element(page.getByTestId('hosted-api-panel')).toBeVisible();
  });

  // BUG (pod/admin/views/TenantEditor.tsx): saving a new company sets `editing` to the saved
  // id; the render with the new companyId queues the `[companyId]` effect for after the next
  // paint. When the test answers before that paint (a fast server; a background tab, where
  // the browser delays frames and timers), Preact flushes the queued effect at the start of
  // the re-render that setTest(result) asks for, and the effect's setTest(existing.lastTest)
  // (null: the tenant as saved, before its test) wins. The message then says the test ran,
  // but no checklist is shown. Paints are held here so the order is certain.
  it('keeps the checklist of a first test that answers before the next paint', async () => {
    const saved = tenantView({ companyId: 'acme', version: 1 });
    const result = passingTest();
    server
      .on('PUT', '/tenants/acme', json(201, saved))
      .on('POST', '/tenants/acme/test', json(200, result))
      .on('GET', '/tenants', json(200, { tenants: [{ ...saved, lastTest: result }] }))
      .on('GET', '/tenants/acme/boards', json(200, boardList()));
    open('');
    await userEvent.fill(field('companyId'), 'acme');
    await userEvent.fill(field('publicKey'), 'pub-key-0001');
    await userEvent.fill(field('privateKey'), 'private-key-0002');
    await nextPaint();
    const paints = holdPaints();
    try {
      await userEvent.click(page.getByTestId('save-tenant'));
      await expect.element(page.getByTestId('editor-message')).toHaveTextContent('Saved, and the connection test passed.');
      expect(document.querySelector('[data-testid="test-checklist"]')).not.toBeNull();
    } finally {
      paints.release();
    }
    await nextPaint();
    expect(document.querySelector('[data-testid="test-checklist"]')).not.toBeNull();
  });
});

describe('tenant editor: an existing company', () => {
  it('shows the stored settings, the company ID read-only and the keys as write-only placeholders', async () => {
    const acme = tenantView({ companyId: 'acme', clientId: null, nilearOrigin: 'https://mtx.example.com', lastTest: failingKeysTest() });
    open('ACME', [acme]);
    await expect.element(page.getByRole('heading', { name: 'Company acme' })).toBeVisible();
    await expect.element(field('companyId')).toHaveValue('acme');
    expect(input('companyId').readOnly).toBe(true);
    await expect.element(field('region')).toHaveValue('na');
    await expect.element(field('site')).toHaveValue('na.myconnectwise.net');
    await expect.element(field('publicKey')).toHaveValue('');
    await expect.element(field('privateKey')).toHaveValue('');
    expect(input('publicKey').placeholder).toBe('stored (••••••••pub1) — leave empty to keep');
    expect(input('privateKey').placeholder).toBe('stored (••••••••prv9) — leave empty to keep');
    await expect.element(field('apiMemberId')).toHaveValue('podapi');
    await expect.element(field('clientId')).toHaveValue('');
    expect(hintOf('clientId')).toBe("Leave empty to use the server's (6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4).");
    await expect.element(field('nilearOrigin')).toHaveValue('https://mtx.example.com');
    // Its last test, the registration panel and Remove.
    await expect.element(page.getByTestId('step-keys')).toHaveAttribute('data-status', 'failed');
    await expect.element(page.getByTestId('hosted-api-panel')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Remove' })).toBeVisible();
  });

  it('picks On-premise for an on-premise company', async () => {
    open('contoso', [onPremiseTenant()]);
    await expect.element(field('region')).toHaveValue('onprem');
    await expect.element(field('site')).toHaveValue('https://cw.contoso.example');
  });

  it('picks the company’s region', async () => {
    const eu = tenantView({
      companyId: 'euro',
      siteInput: 'https://eu.myconnectwise.net',
      site: { uiOrigin: 'https://eu.myconnectwise.net', apiOrigin: 'https://api-eu.myconnectwise.net', region: 'eu', kind: 'cloud' },
    });
    open('euro', [eu]);
    await expect.element(field('region')).toHaveValue('eu');
  });

  it('saves without the keys when they are left empty, sending the version read, then tests', async () => {
    const acme = tenantView({ companyId: 'acme', version: 3, apiMemberId: 'podapi', lastTest: null });
    const saved = { ...acme, version: 4, apiMemberId: 'pod-api-2' };
    const result = passingTest();
    const put = deferred();
    const test = deferred();
    server
      .on('PUT', '/tenants/acme', put.answer)
      .on('POST', '/tenants/acme/test', test.answer)
      .on('GET', '/tenants', json(200, { tenants: [{ ...saved, lastTest: result }] }))
      .on('GET', '/tenants/acme/boards', json(200, boardList()));
    open('acme', [acme]);
    await userEvent.fill(field('apiMemberId'), 'pod-api-2');
    await userEvent.fill(field('publicKey'), '   ');
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.element(page.getByTestId('save-tenant')).toHaveTextContent('Saving…');
    await expect.element(page.getByTestId('save-tenant')).toBeDisabled();
    put.release(json(200, saved));
    await expect.element(page.getByTestId('save-tenant')).toHaveTextContent('Testing the connection…');
    test.release(json(200, result));
    await expect.element(page.getByTestId('editor-message')).toHaveTextContent('Saved, and the connection test passed.');
    await expect.element(page.getByTestId('save-tenant')).toHaveTextContent('Save and test');

    const body = server.callsTo('PUT', '/tenants/acme')[0]!.body as Record<string, unknown>;
    expect(body).toEqual({ site: 'na.myconnectwise.net', clientId: null, apiMemberId: 'pod-api-2', nilearOrigin: null, boardIds: [], sectionAccess: 'technician', podDisplay: { colorScheme: 'light', linkTemplates: [] }, version: 3 });
    expect('publicKey' in body).toBe(false);
    expect('privateKey' in body).toBe(false);
    await expect.element(page.getByTestId('test-checklist')).toBeVisible();
    await expect.element(page.getByTestId('boards-picker')).toBeVisible();
  });

  it('sends the new version on the next save', async () => {
    const acme = tenantView({ companyId: 'acme', version: 3 });
    server
      .on('PUT', '/tenants/acme', json(200, { ...acme, version: 4 }), json(200, { ...acme, version: 5 }))
      .on('POST', '/tenants/acme/test', json(200, failingKeysTest()))
      .on('GET', '/tenants', json(200, { tenants: [{ ...acme, version: 4, lastTest: failingKeysTest() }] }));
    open('acme', [acme]);
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.element(page.getByTestId('editor-message')).toBeVisible();
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => server.callsTo('PUT', '/tenants/acme').length).toBe(2);
    expect(server.callsTo('PUT', '/tenants/acme').map((c) => (c.body as { version: number }).version)).toEqual([3, 4]);
  });

  it('sends the boards ticked in the picker', async () => {
    const acme = tenantView({ companyId: 'acme', boardIds: [4], lastTest: passingTest() });
    server
      .on('GET', '/tenants/acme/boards', json(200, boardList()))
      .on('PUT', '/tenants/acme', json(200, { ...acme, boardIds: [1, 4], version: 4 }))
      .on('POST', '/tenants/acme/test', json(200, passingTest()))
      .on('GET', '/tenants', json(200, { tenants: [{ ...acme, boardIds: [1, 4], version: 4 }] }));
    open('acme', [acme]);
    await expect.element(page.getByRole('checkbox', { name: 'Projects' })).toBeChecked();
    await userEvent.click(page.getByRole('checkbox', { name: 'Help Desk' }));
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => server.callsTo('PUT', '/tenants/acme').length).toBe(1);
    expect(server.callsTo('PUT', '/tenants/acme')[0]!.body).toMatchObject({ boardIds: [1, 4] });
  });

  it('offers no boards picker when the last test failed or never ran', async () => {
    open('acme', [tenantView({ lastTest: failingKeysTest() })]);
    await expect.element(page.getByTestId('tenant-editor')).toBeVisible();
    expect(document.querySelector('[data-testid="boards-picker"]')).toBeNull();
    unmountAll();
    open('acme', [tenantView({ lastTest: null })]);
    await expect.element(page.getByTestId('tenant-editor')).toBeVisible();
    expect(document.querySelector('[data-testid="boards-picker"]')).toBeNull();
    expect(server.callsTo('GET', '/tenants/acme/boards')).toEqual([]);
  });

  it('offers "Save anyway" naming the failed step when the new settings fail the test, and stores with force', async () => {
    const acme = tenantView({ companyId: 'acme', version: 3, lastTest: passingTest() });
    const refused = failingKeysTest();
    refused.steps = refused.steps.slice(0, 5);
    const saved = { ...acme, version: 4 };
    server
      .on('PUT', '/tenants/acme', json(422, { error: { code: 'connection_test_failed', message: 'Not saved.', test: refused, requestId: 'req-1' } }))
      .on('PUT', '/tenants/acme?force=true', json(200, saved))
      .on('POST', '/tenants/acme/test', json(200, failingKeysTest()))
      // What the server holds after the refusal: the saved settings, unchanged.
      .on('GET', '/tenants', json(200, { tenants: [acme] }));
    open('acme', [acme]);
    await userEvent.fill(field('privateKey'), 'a-wrong-private-key');
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.element(page.getByTestId('editor-message')).toHaveTextContent(
      'Not saved: the new settings failed the connection test at “The API keys are accepted”. The pod keeps working with the saved settings. Fix the settings below and save again, or save anyway.',
    );
    await expect.element(page.getByTestId('step-keys')).toHaveAttribute('data-status', 'failed');
    expect(server.callsTo('POST', '/tenants/acme/test')).toEqual([]);
    // The key typed is kept for the second try, and nothing was stored.
    await expect.element(field('privateKey')).toHaveValue('a-wrong-private-key');
    // Nothing forced yet (the list the console may re-read is the server's business, not this step's).
    expect(server.callsTo('PUT', '/tenants/acme?force=true')).toEqual([]);

    expect(document.querySelector('[data-testid="save-anyway"]')!.getAttribute('title')).toBe('Store the new settings although “The API keys are accepted” failed');
    await userEvent.click(page.getByRole('button', { name: 'Save anyway' }));
    await expect.element(page.getByTestId('editor-message')).toHaveTextContent('Saved, but the connection test found problems: see the fixes below.');
    const forced = server.callsTo('PUT', '/tenants/acme?force=true');
    expect(forced).toHaveLength(1);
    expect(forced[0]!.body).toMatchObject({ privateKey: 'a-wrong-private-key' });
    expect(document.querySelector('[data-testid="save-anyway"]')).toBeNull();
    // The stored settings are then tested in full; wait for it, so no call of this test lands in the next.
    await expect.poll(() => server.callsTo('POST', '/tenants/acme/test').length).toBe(1);
  });

  it('offers no "Save anyway" for other refusals', async () => {
    server.on('PUT', '/tenants/acme', apiError(422, 'validation_failed', 'site: bad', [{ path: 'site', message: 'bad' }]));
    open('acme', [tenantView()]);
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => errorOf('site')).toBe('bad');
    expect(document.querySelector('[data-testid="save-anyway"]')).toBeNull();
  });

  it('asks for both keys when the site changes, before sending anything', async () => {
    const acme = tenantView({ companyId: 'acme', version: 3 });
    server
      .on('PUT', '/tenants/acme', json(200, { ...acme, version: 4 }))
      .on('POST', '/tenants/acme/test', json(200, passingTest()))
      .on('GET', '/tenants', json(200, { tenants: [{ ...acme, version: 4 }] }));
    open('acme', [acme]);
    await userEvent.selectOptions(field('region'), 'eu');
    await expect.poll(() => hintOf('privateKey')).toBe('Required: the site changed, so enter both keys for the new site (stored keys stay with their site).');
    expect(input('privateKey').placeholder).toBe('');
    await userEvent.fill(field('publicKey'), 'eu-public-0001');
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => errorOf('privateKey')).toBe('Required: the site changed, so enter both keys for the new site (stored keys stay with their site).');
    expect(errorOf('publicKey')).toBeNull();
    expect(server.calls).toEqual([]);
    await userEvent.fill(field('privateKey'), 'eu-private-0002');
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => server.callsTo('PUT', '/tenants/acme').length).toBe(1);
    expect(server.callsTo('PUT', '/tenants/acme')[0]!.body).toMatchObject({ site: 'https://eu.myconnectwise.net', publicKey: 'eu-public-0001', privateKey: 'eu-private-0002' });
  });

  it('shows each field error under its field', async () => {
    server.on(
      'PUT',
      '/tenants/acme',
      apiError(422, 'validation_failed', 'The request is invalid: site: cw.internal resolves to a private address; clientId: a clientId is a GUID', [
        { path: 'site', message: 'cw.internal resolves to a private address.' },
        { path: 'clientId', message: 'a clientId is a GUID' },
      ]),
    );
    open('acme', [tenantView()]);
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => errorOf('site')).toBe('cw.internal resolves to a private address.');
    expect(errorOf('clientId')).toBe('a clientId is a GUID');
    expect(errorOf('publicKey')).toBeNull();
    expect(input('site').getAttribute('aria-invalid')).toBe('true');
    expect(input('site').getAttribute('aria-describedby')).toBe('site-error');
    expect(hintOf('site')).toBeNull();
    await expect.element(page.getByTestId('editor-message')).toMatchTextContent('The request is invalid');
    await expect.element(page.getByTestId('editor-message')).toHaveAttribute('role', 'alert');
    expect(server.callsTo('POST', '/tenants/acme/test')).toEqual([]);
  });

  it('clears the field errors on the next save', async () => {
    server.on(
      'PUT',
      '/tenants/acme',
      apiError(422, 'validation_failed', 'site: bad', [{ path: 'site', message: 'bad' }]),
      apiError(409, 'version_conflict', 'The tenant changed.'),
    );
    open('acme', [tenantView()]);
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => errorOf('site')).toBe('bad');
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.poll(() => errorOf('site')).toBeNull();
  });

  it('explains a version conflict', async () => {
    server.on('PUT', '/tenants/acme', apiError(409, 'version_conflict', 'The tenant changed since version 3.'));
    open('acme', [tenantView()]);
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.element(page.getByTestId('editor-message')).toHaveTextContent(
      'Someone else changed this company meanwhile. Reload it, then make your change again.',
    );
    expect(server.callsTo('POST', '/tenants/acme/test')).toEqual([]);
  });

  it('shows the error when the test cannot run after a save', async () => {
    const acme = tenantView();
    server
      .on('PUT', '/tenants/acme', json(200, { ...acme, version: 4 }))
      .on('POST', '/tenants/acme/test', apiError(429, 'rate_limited', 'Too many connection tests: wait 30 seconds.'));
    open('acme', [acme]);
    await userEvent.click(page.getByTestId('save-tenant'));
    await expect.element(page.getByTestId('editor-message')).toHaveTextContent('Too many connection tests: wait 30 seconds.');
    await expect.element(page.getByTestId('save-tenant')).toBeEnabled();
    // The save itself went through.
    expect(tenants.value[0]!.version).toBe(4);
  });

  it('removes the company after confirmation and closes', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    server.on('DELETE', '/tenants/acme', noContent()).on('GET', '/tenants', json(200, { tenants: [] }));
    open('acme', [tenantView()]);
    await userEvent.click(page.getByRole('button', { name: 'Remove' }));
    await expect.poll(() => editing.value).toBeNull();
    expect(confirm).toHaveBeenCalledWith('Remove acme? Its pod stops working at once.');
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['DELETE /tenants/acme', 'GET /tenants']);
    await expect.poll(() => tenants.value).toEqual([]);
  });

  it('keeps the company when removal is not confirmed', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(false);
    open('acme', [tenantView()]);
    await userEvent.click(page.getByRole('button', { name: 'Remove' }));
    expect(server.calls).toEqual([]);
    expect(editing.value).toBe('acme');
  });

  it('shows why a removal failed', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    server.on('DELETE', '/tenants/acme', apiError(404, 'not_found', 'No tenant "acme".'));
    open('acme', [tenantView()]);
    await userEvent.click(page.getByRole('button', { name: 'Remove' }));
    await expect.element(page.getByTestId('editor-message')).toHaveTextContent('No tenant "acme".');
    expect(editing.value).toBe('acme');
  });

  it('closes with Close', async () => {
    open('acme', [tenantView()]);
    await userEvent.click(page.getByRole('button', { name: 'Close' }));
    expect(editing.value).toBeNull();
  });

  it('loads the other company’s settings when switching companies', async () => {
    open('acme', [tenantView({ companyId: 'acme', apiMemberId: 'acme-api' }), onPremiseTenant({ companyId: 'contoso', apiMemberId: 'contoso-api' })]);
    await userEvent.fill(field('privateKey'), 'typed-but-not-saved');
    editing.value = 'contoso';
    await expect.element(field('apiMemberId')).toHaveValue('contoso-api');
    await expect.element(field('region')).toHaveValue('onprem');
    await expect.element(field('privateKey')).toHaveValue('');
  });
});
