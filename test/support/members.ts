import { demoCompanyId, demoTechnician } from '../../server/simulated-connectwise/demo.ts';
import type { Sim } from '../../server/simulated-connectwise/simulator.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';

export type TestMember = { identifier: string; memberHash: string; memberContext: string; email: string };

/**
 * Adds `count` technicians who see every board to the simulated demo instance. The pod limits
 * requests per member (120 a minute), so a load of hundreds of views needs many members,
 * as a real service desk has.
 */
export function addTechnicians(sim: Sim, count: number, prefix = 'loadtech'): TestMember[] {
  const instance = sim.world.get(demoCompanyId);
  if (instance === undefined) throw new Error('the simulator has no demo instance');
  const template = instance.members.find((m) => m.identifier === demoTechnician.identifier);
  if (template === undefined) throw new Error('the demo instance has no template technician');
  const added: TestMember[] = [];
  for (let i = 0; i < count; i += 1) {
    const identifier = `${prefix}${i}`;
    const memberHash = Buffer.from(`SimHash-${identifier}-${i * 7919}-${prefix}`).toString('base64');
    instance.members.push({
      ...template,
      id: 5000 + instance.members.length,
      identifier,
      firstName: 'Load',
      lastName: `Tech ${i}`,
      email: `${identifier}@demo-msp.example`,
      memberHashes: [memberHash],
    });
    added.push({ identifier, memberHash, memberContext: template.memberContext, email: `${identifier}@demo-msp.example` });
  }
  return added;
}

/** The part of the getMemberAuthentication data the server replays to ConnectWise, for `m`. */
export function memberCredentials(
  m: Pick<TestMember, 'identifier' | 'memberHash' | 'memberContext'>,
  companyid: string = demoCompanyId,
): MemberAuthentication {
  return { companyid, memberid: m.identifier, memberHash: m.memberHash, memberContext: m.memberContext };
}

/** The getMemberAuthentication data ConnectWise would hand the pod for `m`. */
export function memberAuthentication(simulatorOrigin: string, m: TestMember) {
  return {
    site: simulatorOrigin,
    ...memberCredentials(m),
    memberEmail: m.email,
    codeBase: 'v4_6_release/',
  };
}
