import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/simulator.ts';
import { demoTechnician } from '../../../server/simulated-connectwise/demo.ts';
import { faultPresets } from '../../../server/simulated-connectwise/fault-presets.ts';
import { FaultPreset } from '../../../shared/harness-api.ts';
import { apiHeaders, demoBase, getJson, memberCookieHeaders } from './sim-fixtures.ts';

// The shapes issue 14 asks the simulator to serve: null reference ids, code-only errors, HTML
// with 200 from the member check, and a version without hosted setups.

const sim = createSimulatedConnectWise();
const server = setupServer(...sim.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());
beforeEach(() => sim.reset());

type Json = Record<string, unknown>;

describe('null-references', () => {
  it('nulls the ids of references inside a record and keeps the record id', async () => {
    const plain = await getJson(`${demoBase}/system/myMembers/info`, memberCookieHeaders(demoTechnician));
    sim.faults.set({ kind: 'null-references' });
    const { status, body } = await getJson(`${demoBase}/system/myMembers/info`, memberCookieHeaders(demoTechnician));
    expect(status).toBe(200);
    const info = body as Json;
    expect(info['id']).toBe((plain.body as Json)['id']);
    expect(info['identifier']).toBe(demoTechnician.identifier);
    expect(info['defaultLocation']).toMatchObject({ id: null, name: expect.any(String) });
    expect(info['defaultDepartment']).toMatchObject({ id: null });
  });

  it('keeps each record id of a list', async () => {
    sim.faults.set({ kind: 'null-references' });
    const { body } = await getJson(`${demoBase}/service/tickets?pageSize=3`, apiHeaders());
    const rows = body as Json[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row['id']).toEqual(expect.any(Number));
      expect((row['board'] as Json)['id']).toBeNull();
    }
  });
});

describe('code-only-errors', () => {
  it('drops the message of an error body and keeps its code and status', async () => {
    sim.faults.set({ kind: 'code-only-errors' });
    const { status, body } = await getJson(`${demoBase}/system/myMembers/info`, memberCookieHeaders(demoTechnician, { hash: 'forged' }));
    expect(status).toBe(401);
    expect(body).toEqual({ code: 'Unauthorized' });
  });

  it('leaves a success alone', async () => {
    sim.faults.set({ kind: 'code-only-errors' });
    const { status, body } = await getJson(`${demoBase}/system/myMembers/info`, memberCookieHeaders(demoTechnician));
    expect(status).toBe(200);
    expect(body).toMatchObject({ identifier: demoTechnician.identifier });
  });
});

describe('missing-endpoint', () => {
  it('answers 404 "endpoint does not exist" for hosted setups only', async () => {
    sim.faults.set(faultPresets.find((p) => p.id === 'no-hosted-setups')!.rules);
    const setups = await getJson(`${demoBase}/system/connectwisehostedsetups`, apiHeaders());
    expect(setups.status).toBe(404);
    expect(setups.body).toMatchObject({ code: 'NotFound', message: expect.stringMatching(/endpoint does not exist/i) });
    // Positive control: other endpoints still answer.
    expect((await getJson(`${demoBase}/system/info`, apiHeaders())).status).toBe(200);
  });
});

describe('presets', () => {
  it('offers each shape as a valid preset, HTML 200 from the member check included', async () => {
    for (const id of ['null-references', 'code-only-errors', 'member-check-html', 'no-hosted-setups']) {
      const preset = faultPresets.find((p) => p.id === id);
      expect(preset, id).toBeDefined();
      expect(FaultPreset.safeParse(preset).success).toBe(true);
    }
    sim.faults.set(faultPresets.find((p) => p.id === 'member-check-html')!.rules);
    const r = await fetch(`${demoBase}/system/myMembers/info`, { headers: memberCookieHeaders(demoTechnician) });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect((await getJson(`${demoBase}/system/info`, apiHeaders())).status).toBe(200);
  });
});
