import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { HarnessConfig } from '../../../shared/harness-api.ts';
import { buildHarnessConfig } from '../../../server/simulated-connectwise/harness-config.ts';
import { createSimulatedConnectWise } from '../../../server/simulated-connectwise/simulator.ts';
import { demoForgedMemberHash, demoMembers, demoRestrictedTechnician } from '../../../server/simulated-connectwise/demo.ts';

const origins = { simulatorOrigin: 'http://127.0.0.1:4001', podOrigin: 'http://localhost:4000', nilearOrigin: null };

describe('harness config', () => {
  const sim = createSimulatedConnectWise();
  const config = buildHarnessConfig(sim.world, origins);

  it('passes the schema the harness parses it with', () => {
    expect(() => z.parse(HarnessConfig, config)).not.toThrow();
  });

  it('offers every member with a valid flag, plus one forged hash', () => {
    const demo = config.members.filter((m) => m.companyId === 'demo');
    expect(demo.filter((m) => m.valid).map((m) => m.identifier).sort()).toEqual(demoMembers.filter((m) => !m.inactive).map((m) => m.identifier).sort());
    expect(demo.find((m) => m.memberHash === demoForgedMemberHash)).toMatchObject({ valid: false });
    expect(demo.find((m) => m.inactive)).toMatchObject({ valid: false });
    expect(demo.find((m) => m.identifier === demoRestrictedTechnician.identifier)?.note).toMatch(/Help Desk/);
  });

  it('lists the tickets and instances of the world', () => {
    const demoTickets = config.tickets.filter((t) => t.companyId === 'demo');
    expect(demoTickets.map((t) => t.id)).toEqual(sim.world.get('demo')!.tickets.map((t) => t.id));
    expect(demoTickets.some((t) => t.closed)).toBe(true);
    expect(config.instances.map((i) => i.companyId)).toEqual([...sim.world.instances.values()].map((i) => i.companyId));
  });

  it('builds the default pod URL for the demo company from the pod origin', () => {
    expect(config.defaultPodUrl).toBe('http://localhost:4000/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]');
    expect(config.faultPresets.length).toBeGreaterThan(5);
  });
});
