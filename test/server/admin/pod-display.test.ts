import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { demoTenantInput, startAdminHarness, type AdminHarness } from './support.ts';

/** Issue 12: the pod display settings through the admin API, stored and kept. */

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
  await h.call('PUT', '/tenants/demo', { body: demoTenantInput() });
});
afterAll(async () => h?.close());

const display = {
  colorScheme: 'system',
  linkTemplates: [{ label: 'Open in RMM', url: 'https://rmm.example.com/device/{deviceIdentifier}' }],
};

describe('pod display settings', () => {
  it('defaults to the light look and no links for a tenant that never set them', async () => {
    const res = await h.call('GET', '/tenants/demo');
    expect(res.json.podDisplay).toEqual({ colorScheme: 'light', linkTemplates: [] });
  });

  it('stores them, and keeps them when a later save omits them', async () => {
    const saved = await h.call('PUT', '/tenants/demo', { body: demoTenantInput({ podDisplay: display }) });
    expect(saved.status).toBe(200);
    expect(saved.json.podDisplay).toEqual(display);
    const again = await h.call('PUT', '/tenants/demo', { body: demoTenantInput() });
    expect(again.json.podDisplay).toEqual(display);
    expect((await h.call('GET', '/tenants/demo')).json.podDisplay).toEqual(display);
  });

  it('refuses a link that is not https, or puts a placeholder in the host, naming the field', async () => {
    for (const url of ['http://rmm.example.com/{id}', 'https://{name}.example.com/']) {
      const res = await h.call('PUT', '/tenants/demo', {
        body: demoTenantInput({ podDisplay: { colorScheme: 'light', linkTemplates: [{ label: 'RMM', url }] } }),
      });
      expect(res.status).toBe(422);
      const body = ApiErrorBody.parse(res.json);
      expect(body.error.code).toBe('validation_failed');
      expect(JSON.stringify(body)).toContain('podDisplay.linkTemplates.0.url');
    }
    expect((await h.call('GET', '/tenants/demo')).json.podDisplay).toEqual(display);
  });
});
