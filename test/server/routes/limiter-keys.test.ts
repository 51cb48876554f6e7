import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { demoTechnician } from '../../../server/simulated-connectwise/demo.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { memberAuthentication } from '../../support/members.ts';

/**
 * Issue 10 item 6: the company id is checked before any limiter, so a request naming a
 * company that cannot exist is neither counted nor kept under its (up to ~16 KB) path.
 */
let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack();
});
afterAll(async () => stack?.stop());

const session = (companyId: string, body: unknown) =>
  fetch(`${stack.url}/api/pod/${companyId}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('limiters see only valid company ids', () => {
  it('answers impossible company ids not_configured at once, without spending the address’s budget', async () => {
    const auth = memberAuthentication(stack.simulator!.origin, demoTechnician);
    // Past the per-address cap on session requests (60 a minute), all with impossible ids.
    for (let i = 0; i < 65; i++) {
      const res = await session(`${'x'.repeat(8000)}${i}`, { ...auth, memberid: `m${i}` });
      expect(res.status).toBe(404);
      expect(ApiErrorBody.parse(await res.json()).error.code).toBe('not_configured');
    }
    const odd = await session('bad%20id;x', auth);
    expect(odd.status).toBe(404);
    await odd.body?.cancel();
    // Positive control: the same address still signs in; none of the above was counted.
    const ok = await session('demo', auth);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
  });

  it('answers the pod page for an impossible company id with the "not set up" notice, and never warms up', async () => {
    stack.simulator!.sim.calls.clear();
    const res = await fetch(`${stack.url}/hostedapis/connectwiseiframe/${'y'.repeat(5000)}?id=1002&screen=ticket`, {
      headers: { 'Sec-Fetch-Dest': 'iframe' },
    });
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/not set up/);
    // A page warm-up reads with the API keys; the previous test's signed-in member may still
    // have its own rights read (member credentials) in flight, which is not this page's doing.
    expect(stack.simulator!.sim.calls.list().filter((c) => !c.auth.startsWith('member'))).toEqual([]);
  });
});
