import { describe, expect, it } from 'vitest';
import { buildDemoInstance, createSimulatedConnectWise } from '../../../server/simulated-connectwise/index.ts';

describe('createSimulatedConnectWise', () => {
  it('holds the demo and cloud instances, looked up case-insensitively', () => {
    const sim = createSimulatedConnectWise();
    expect(sim.world.get('DEMO')?.companyId).toBe('demo');
    expect(sim.world.get('Northwind')?.isCloud).toBe(true);
  });

  it('rebuilds the world in place on reset', () => {
    const sim = createSimulatedConnectWise();
    const world = sim.world;
    world.get('demo')!.tickets.splice(0);
    sim.faults.set({ kind: 'reset' });
    sim.reset();
    expect(sim.world).toBe(world);
    expect(world.get('demo')!.tickets.length).toBeGreaterThanOrEqual(20);
    expect(sim.faults.list()).toEqual([]);
  });

  it('takes its own seed', () => {
    const sim = createSimulatedConnectWise({ seed: () => [{ ...buildDemoInstance(), companyId: 'acme' }] });
    expect([...sim.world.instances.keys()]).toEqual(['acme']);
  });

  it('builds the same data on every run', () => {
    expect(JSON.stringify(buildDemoInstance())).toBe(JSON.stringify(buildDemoInstance()));
  });
});
