import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantEvents } from '../../../shared/admin-events.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { demoApiMember, demoRestrictedTechnician, demoTechnician, demoTicketIds } from '../../../server/simulated-connectwise/demo.ts';
import { memberAuthentication } from '../../support/members.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';

/**
 * Issue 11, the events view: what the pod server asked ConnectWise for a tenant, and why;
 * the pod's failures; the funnel of the last hour. Against the simulated ConnectWise.
 */

let stack: PodStack;
beforeAll(async () => {
  stack = await startPodStack();
});
afterAll(async () => stack?.stop());

async function events(): Promise<TenantEvents> {
  const res = await fetch(`${stack.url}/api/admin/tenants/demo/events`, { headers: { Authorization: `Bearer ${stack.adminToken}` } });
  expect(res.status).toBe(200);
  return TenantEvents.parse(await res.json());
}

async function session(member = demoTechnician): Promise<string> {
  const res = await fetch(`${stack.url}/api/pod/demo/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(memberAuthentication(stack.simulator!.origin, member)),
  });
  expect(res.status).toBe(200);
  return PodSession.parse(await res.json()).token;
}

describe('GET /api/admin/tenants/:companyId/events', () => {
  it('needs the admin token and a known company', async () => {
    expect((await fetch(`${stack.url}/api/admin/tenants/demo/events`)).status).toBe(401);
    const res = await fetch(`${stack.url}/api/admin/tenants/nobody/events`, { headers: { Authorization: `Bearer ${stack.adminToken}` } });
    expect(res.status).toBe(404);
  });

  it('lists the ConnectWise requests with what triggered them, as path templates', async () => {
    const page = await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo?id=${demoTicketIds.helpDeskOpen}&screen=ticket`, {
      headers: { 'Sec-Fetch-Dest': 'iframe' },
    });
    expect(page.status).toBe(200);
    await expect.poll(async () => (await events()).requests.some((r) => r.trigger === 'page'), { timeout: 15_000 }).toBe(true);

    const token = await session();
    const view = await fetch(`${stack.url}/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}?fresh=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(view.status).toBe(200);
    const test = await fetch(`${stack.url}/api/admin/tenants/demo/test`, { method: 'POST', headers: { Authorization: `Bearer ${stack.adminToken}` } });
    expect(test.status).toBe(200);

    const { requests } = await events();
    const triggers = new Set(requests.map((r) => r.trigger));
    for (const t of ['page', 'session', 'view', 'test'] as const) expect(triggers, t).toContain(t);
    for (const r of requests) {
      expect(r.path).not.toMatch(/\/\d+(\/|$)|\?/);
      expect(r.method).toMatch(/^(GET|POST|PUT|PATCH)$/);
      expect(r.ms).toBeGreaterThanOrEqual(0);
    }
    expect(requests.some((r) => r.trigger === 'view' && r.path === 'service/tickets/:id' && r.status === 'ok')).toBe(true);
    // Newest first (recorded as each call ends).
    const times = requests.map((r) => r.at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('lists pod failures with code, member and ticket, and never a secret', async () => {
    const token = await session(demoRestrictedTechnician);
    const res = await fetch(`${stack.url}/api/pod/demo/tickets/${demoTicketIds.networkOpsOpen}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    const { failures } = await events();
    expect(failures[0]).toMatchObject({ member: demoRestrictedTechnician.identifier, ticket: demoTicketIds.networkOpsOpen });
    expect(failures[0]!.code).toMatch(/forbidden/);

    const text = JSON.stringify(await events());
    for (const secret of [demoApiMember.privateKey, demoApiMember.publicKey, demoTechnician.memberHash, demoRestrictedTechnician.memberHash, token]) {
      expect(text).not.toContain(secret);
    }
  });

  it('counts the funnel of the last hour: pages served, verified, context served', async () => {
    const before = (await events()).lastHour;
    await fetch(`${stack.url}/hostedapis/connectwiseiframe/demo`);
    const token = await session();
    await fetch(`${stack.url}/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`, { headers: { Authorization: `Bearer ${token}` } });
    const after = (await events()).lastHour;
    expect(after.pagesServed).toBe(before.pagesServed + 1);
    expect(after.verified).toBe(before.verified + 1);
    expect(after.contextServed).toBe(before.contextServed + 1);
  });
});
