import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { demoApiMember, demoRestrictedTechnician, demoTechnician, demoTicketIds } from '../../../server/simulated-connectwise/demo.ts';
import type { FaultRule } from '../../../shared/harness-api.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { memberAuthentication } from '../../support/members.ts';

/**
 * Issue 10 item 9: whatever ConnectWise does, the pod API answers codes and plain words —
 * never a host, an address, an endpoint or ConnectWise's own text — to anyone, signed in or
 * not. The details go to the log.
 */

let rebindToPrivate = false;
const lookup = async (hostname: string) => {
  if (hostname === 'rebind.example.test') return [{ address: rebindToPrivate ? '10.20.30.40' : '93.184.215.14', family: 4 as const }];
  return [{ address: '127.0.0.1', family: 4 as const }];
};

let stack: PodStack;
let token: string;
beforeAll(async () => {
  stack = await startPodStack({ LOG_LEVEL: 'silent' }, { lookup });
  const res = await session('demo', memberAuthentication(stack.simulator!.origin, demoTechnician));
  expect(res.status).toBe(200);
  token = PodSession.parse(await res.json()).token;
});
afterAll(async () => stack?.stop());
afterEach(() => stack.simulator!.sim.faults.clear());

function session(companyId: string, body: unknown) {
  return fetch(`${stack.url}/api/pod/${companyId}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** What must never reach a caller: where ConnectWise is, what we called, what it said. */
function leaks(text: string): string[] {
  const sim = new URL(stack.simulator!.origin);
  const needles = [
    sim.host,
    sim.port,
    '127.0.0.1',
    'localhost',
    'rebind.example.test',
    '10.20.30.40',
    'apis/3.0',
    'v4_6_release',
    'system/',
    'service/',
    'login/companyinfo',
    '<html',
    'Sign in',
    'ALLOW_PRIVATE_NETWORK',
  ];
  return needles.filter((n) => text.includes(n));
}

async function expectPlain(res: Response) {
  const text = await res.text();
  expect(res.status).toBeGreaterThanOrEqual(400);
  const body = ApiErrorBody.parse(JSON.parse(text));
  expect(leaks(text), text).toEqual([]);
  return body.error;
}

const faults: [string, FaultRule][] = [
  ['a 500', { kind: 'server-error', status: 500 }],
  ['a 503', { kind: 'server-error', status: 503 }],
  ['an HTML login page', { kind: 'html-login' }],
  ['malformed JSON', { kind: 'malformed-json' }],
  ['truncated JSON', { kind: 'truncated-json' }],
  ['a reset connection', { kind: 'reset' }],
  ['a 429', { kind: 'rate-limit', retryAfterSeconds: 0 }],
];

describe('errors to callers carry codes and plain words only', () => {
  it.each(faults)('the session route, when ConnectWise answers %s', async (_what, rule) => {
    stack.simulator!.sim.faults.set(rule);
    // A member not verified before: a cached verdict would answer without ConnectWise.
    const error = await expectPlain(await session('demo', memberAuthentication(stack.simulator!.origin, demoRestrictedTechnician)));
    expect(['connectwise_unreachable', 'rate_limited', 'member_unverified']).toContain(error.code);
  });

  it.each(faults)('the ticket route, when ConnectWise answers %s', async (_what, rule) => {
    stack.simulator!.sim.faults.set(rule);
    const res = await fetch(`${stack.url}/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}?fresh=1`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const error = await expectPlain(res);
    expect(error.failure, 'the failure kind names what happened').toMatch(/^[a-z_]+$/);
  });

  it('the session route, when the tenant’s host now resolves to a private address (DNS rebinding)', async () => {
    const put = await fetch(`${stack.url}/api/admin/tenants/rebind`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ site: 'https://rebind.example.test', publicKey: demoApiMember.publicKey, privateKey: demoApiMember.privateKey }),
    });
    expect(put.status).toBe(201);
    rebindToPrivate = true;
    const res = await session('rebind', { ...memberAuthentication(stack.simulator!.origin, demoTechnician), companyid: 'rebind' });
    const error = await expectPlain(res);
    expect(error).toMatchObject({ code: 'connectwise_unreachable', failure: 'address_refused' });
    expect(error.message).toMatch(/not allowed to connect/);
  });

  it('keeps the details for the admin: the admin API names host and address (positive control for the needles)', async () => {
    const res = await fetch(`${stack.url}/api/admin/tenants/rebind/boards`, { headers: { Authorization: `Bearer ${stack.adminToken}` } });
    const body = ApiErrorBody.parse(await res.json());
    expect(body.error.failure).toBe('address_refused');
    expect(leaks(body.error.message)).toEqual(['rebind.example.test', '10.20.30.40', 'ALLOW_PRIVATE_NETWORK']);
  });
});
