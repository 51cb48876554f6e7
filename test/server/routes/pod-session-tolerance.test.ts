import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { demoRestrictedTechnician, demoTechnician } from '../../../server/simulated-connectwise/demo.ts';
import { faultPresets } from '../../../server/simulated-connectwise/fault-presets.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { memberAuthentication } from '../../support/members.ts';

/**
 * Issue 14 at the pod API, on a real port against the simulated ConnectWise over HTTP: what a
 * pod built on ConnectWise's own client forwards as it came (nulls, new fields), and what an
 * answer that is not a member record means.
 */

let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack();
});
afterAll(async () => stack?.stop());
afterEach(() => stack.simulator!.sim.faults.clear());

const session = (body: unknown) =>
  fetch(`${stack.url}/api/pod/demo/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /api/pod/:companyId/session', () => {
  it('verifies a member whose optional fields are null, with fields ConnectWise added later', async () => {
    const res = await session({
      ...memberAuthentication(stack.simulator!.origin, demoTechnician),
      memberEmail: null,
      ssoAccessToken: null,
      ssoIdToken: null,
      site: null,
      codeBase: null,
      somethingNew: { nested: true },
    });
    expect(res.status).toBe(200);
    expect(PodSession.parse(await res.json()).member.identifier).toBe(demoTechnician.identifier);
  });

  it('says ConnectWise is unusable, not that the member is forged, when the member check answers HTML with 200; nothing is cached', async () => {
    const sim = stack.simulator!.sim;
    sim.faults.set(faultPresets.find((p) => p.id === 'member-check-html')!.rules);
    // A member not verified above (a cached success would answer without asking ConnectWise).
    const creds = memberAuthentication(stack.simulator!.origin, demoRestrictedTechnician);
    const res = await session(creds);
    const body = ApiErrorBody.parse(await res.json());
    expect(res.status).toBe(502);
    expect(body.error.code).toBe('connectwise_unreachable');
    expect(body.error.message).toMatch(/web page instead of data|not a member record|instead of a member record/);
    expect(JSON.stringify(body)).not.toContain('<form');
    sim.faults.clear();
    // The same credentials verify as soon as ConnectWise answers properly: no verdict was kept.
    expect((await session(creds)).status).toBe(200);
  });
});
