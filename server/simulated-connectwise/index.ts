export { createSimulatedConnectWise, defaultSeed } from './simulator.ts';
export type { Sim, SimulatedConnectWiseOptions } from './simulator.ts';
export type { World, Instance, Member, ApiMember, SecurityRole, SecurityRoleSetting, CwRecord, Level } from './world.ts';
export { buildDemoInstance, buildCloudInstance } from './fixtures/demo-instance.ts';
