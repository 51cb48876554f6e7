import type { HttpHandler } from 'msw';
import type { CallLog } from './call-log.ts';
import type { FaultController } from './fault-controller.ts';
import type { UnknownCompanyInfo } from './handlers.ts';
import type { Instance, World } from './world.ts';
import { createCallLog } from './call-log.ts';
import { createFaultController } from './fault-controller.ts';
import { buildCloudInstance, buildDemoInstance } from './fixtures/demo-instance.ts';
import { createHandlers } from './handlers.ts';
import { createWorld } from './world.ts';

export type SimulatedConnectWiseOptions = {
  /**
   * Builds the instances; called again by `reset()`. Default: the demo instance (any host,
   * company `demo`) and the EU cloud instance (`northwind`, fixed hosts).
   */
  seed?: () => Instance[];
  /**
   * How companyinfo answers an unknown company. ConnectWise's behaviour is unconfirmed;
   * the default `'null'` (200 with a JSON `null` body) is the case clients most easily miss.
   */
  unknownCompanyInfo?: UnknownCompanyInfo;
};

export type Sim = {
  /** msw handlers: `setupServer(...sim.handlers)`, or served over HTTP by startSimulatedConnectWiseServer. */
  readonly handlers: HttpHandler[];
  /** The mutable data; the same object across `reset()`. */
  readonly world: World;
  readonly faults: FaultController;
  readonly calls: CallLog;
  /** Rebuilds the world from the seed, clears faults (releasing hung requests) and the call log. */
  reset(): void;
};

export const defaultSeed = (): Instance[] => [buildDemoInstance(), buildCloudInstance()];

export function createSimulatedConnectWise(options: SimulatedConnectWiseOptions = {}): Sim {
  const seed = options.seed ?? defaultSeed;
  const world = createWorld(seed());
  const faults = createFaultController();
  const calls = createCallLog();
  const handlers = createHandlers({ world, faults, calls, unknownCompanyInfo: options.unknownCompanyInfo ?? 'null' });
  return {
    handlers,
    world,
    faults,
    calls,
    reset() {
      world.instances.clear();
      for (const instance of seed()) world.add(instance);
      faults.clear();
      calls.clear();
    },
  };
}
