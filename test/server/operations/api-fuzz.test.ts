import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { demoApiMember, demoCompanyId, demoForgedMemberHash, demoTechnician } from '../../../server/simulated-connectwise/demo.ts';
import { createRandom } from '../../pod/protocol/support/random.ts';
import { addTechnicians, memberAuthentication } from '../../support/members.ts';
import { startLoggedStack, type LoggedStack } from './support/logged-stack.ts';

/**
 * Thousands of seeded-random and mutated requests to every API route of the full stack.
 * Every answer must be a success or a well-formed JSON error, no 5xx but ConnectWise's own
 * (502/504 with a ConnectWise code), the server keeps serving, and the tenants are exactly as
 * before: only requests that must be rejected change anything, so nothing may change.
 *
 * Reproduce a failure with FUZZ_SEED=<seed printed in the failure>.
 */

const seed = Number(process.env.FUZZ_SEED ?? 20_251_123);
const REQUESTS = 2400;
const CONCURRENCY = 12;
const connectwiseCodes = new Set(['connectwise_unreachable', 'connectwise_rejected_keys']);

let stack: LoggedStack;
let tokens: string[];
const rnd = createRandom(seed);

// Per-address limits would turn the fuzz into a rate-limiter test after a few dozen requests,
// so the stack trusts one proxy and each request comes "from" its own address.
const randomIp = () => `198.${18 + rnd.int(2)}.${rnd.int(256)}.${1 + rnd.int(254)}`;

beforeAll(async () => {
  stack = await startLoggedStack({
    level: 'warn',
    env: { TRUST_PROXY: '1' },
    // No real DNS: sites resolve to a public address, so PUTs get past the SSRF guard to the
    // version check (nothing connects to it: every fuzzed PUT is refused before saving).
    lookup: async (host) => [{ address: host === 'localhost' ? '127.0.0.1' : '93.184.215.14', family: 4 }],
  });
  const members = addTechnicians(stack.simulator!.sim, 8, 'fuzz');
  tokens = [];
  for (const m of members) {
    const res = await fetch(`${stack.url}/api/pod/${demoCompanyId}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': randomIp() },
      body: JSON.stringify(memberAuthentication(stack.simulator!.origin, m)),
    });
    expect(res.status).toBe(200);
    tokens.push(PodSession.parse(await res.json()).token);
  }
});

afterAll(async () => stack?.stop());

// ---------- generators ----------

const strings = ['', ' ', 'demo', 'DEMO', '0', '-1', '1e309', 'null', 'true', '<script>', '../../etc/passwd', '%00', 'ü∂ƒ😀', 'a'.repeat(300), '{"a":1}', 'https://evil.example', 'http://127.0.0.1:1', 'Bearer x'];

function randomString(max = 40): string {
  if (rnd.next() < 0.4) return rnd.pick(strings);
  const n = rnd.int(max);
  let s = '';
  for (let i = 0; i < n; i += 1) s += String.fromCharCode(rnd.next() < 0.9 ? 32 + rnd.int(95) : rnd.int(0x3000));
  return s;
}

function randomNumber(): number {
  return rnd.pick([0, -1, 1, 2 ** 31, 2 ** 53 + 2, 1.5, -0.0001, 999_999_999_999, Number.MAX_SAFE_INTEGER, 1001, 1004]);
}

function randomJson(depth = 0): unknown {
  const r = rnd.int(depth > 2 ? 4 : 7);
  if (r === 0) return null;
  if (r === 1) return rnd.next() < 0.5;
  if (r === 2) return randomNumber();
  if (r === 3) return randomString();
  if (r === 4) return Array.from({ length: rnd.int(5) }, () => randomJson(depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = rnd.int(6); i > 0; i -= 1) o[rnd.next() < 0.5 ? randomString(12) : rnd.pick(['site', 'companyid', 'memberid', 'memberHash', 'publicKey', 'boardIds', '__proto__', 'constructor', 'token', 'version'])] = randomJson(depth + 1);
  return o;
}

/** A copy of `base` with one to three fields removed, retyped or replaced. */
function mutate(base: Record<string, unknown>, keep: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (let i = 1 + rnd.int(3); i > 0; i -= 1) {
    const keys = Object.keys(out).filter((k) => !keep.includes(k));
    const op = rnd.int(4);
    if (op === 0 && keys.length > 0) delete out[rnd.pick(keys)];
    else if (op === 1 && keys.length > 0) out[rnd.pick(keys)] = randomJson(1);
    else if (op === 2 && keys.length > 0) out[rnd.pick(keys)] = randomString(400);
    else out[randomString(10)] = randomJson(1);
  }
  return out;
}

const segment = () =>
  rnd.next() < 0.3
    ? rnd.pick(['demo', 'DEMO', 'nobody', '..', '%2e%2e', '%00', 'a'.repeat(101), '-x', 'x'.repeat(100)])
    : encodeURIComponent(randomString(20)) || 'x';
const ticketSegment = () => rnd.pick([String(1001 + rnd.int(24)), String(1001 + rnd.int(24)), String(1 + rnd.int(2000)), '0', '-5', '2147483648', '1e3', '0x10', '1001.5', segment(), '99999999999']);
const query = () => (rnd.next() < 0.5 ? '' : `?${rnd.pick(['fresh', 'fresh=2', 'fresh=1&fresh=0', 'fresh[]=1', 'x=%ff', 'fresh=1', 'a=' + encodeURIComponent(randomString(30))])}`);
const bearer = () => (rnd.next() < 0.5 ? rnd.pick(tokens) : rnd.pick(['', 'x', tokens[0]!.slice(0, -3) + 'abc', randomString(60), 'a'.repeat(9000)]));
const adminAuth = () => (rnd.next() < 0.7 ? `Bearer ${stack.adminToken}` : `Bearer ${randomString(30)}`);

type Req = { method: string; path: string; body?: string; auth?: string; mustReject: boolean };

function memberBody(): Record<string, unknown> {
  // Many claimed members, so the per-member brake on failed verifications rarely answers instead.
  return { ...memberAuthentication(stack.simulator!.origin, { ...demoTechnician, identifier: `m${rnd.int(100_000)}` }), memberHash: rnd.pick([demoForgedMemberHash, randomString(30), 'x']) };
}

function tenantBody(): Record<string, unknown> {
  // `version` is stale (or not a version at all), so even a valid body is refused (409/422).
  // Mostly valid values, so many bodies get through validation to the version check.
  const valid = () => rnd.next() < 0.85;
  const base = {
    site: valid() ? rnd.pick([stack.simulator!.origin, 'na.myconnectwise.net', 'https://cw.example.com']) : randomString(30),
    publicKey: demoApiMember.publicKey,
    privateKey: valid() ? 'fuzzPrivateKey01' : randomString(20),
    clientId: valid() ? rnd.pick([null, '', '6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4']) : randomString(10),
    boardIds: valid() ? rnd.pick([[], [1, 2]]) : rnd.pick([[-1], ['1'], [1.5]]),
    nilearOrigin: valid() ? rnd.pick([null, 'https://mtx.example.com']) : rnd.pick(['https://mtx.example.com/', randomString(10)]),
    version: valid() ? 1_000_000 + rnd.int(1000) : rnd.pick([0.5, -1, '1', null]),
  };
  const body: Record<string, unknown> = rnd.next() < 0.4 ? mutate(base, ['version']) : { ...base };
  return body;
}

function encodeBody(value: unknown): string {
  const r = rnd.next();
  if (r < 0.08) return randomString(50); // not JSON
  if (r < 0.12) return JSON.stringify(value).slice(0, -1); // truncated
  return JSON.stringify(value);
}

function nextRequest(): Req {
  const company = rnd.next() < 0.6 ? demoCompanyId : segment();
  switch (rnd.int(10)) {
    case 0:
    case 1:
      return { method: 'POST', path: `/api/pod/${company}/session${query()}`, body: encodeBody(rnd.next() < 0.5 ? mutate(memberBody()) : randomJson()), mustReject: true };
    case 2:
    case 3:
      return { method: 'GET', path: `/api/pod/${company}/tickets/${ticketSegment()}${rnd.next() < 0.5 ? '/summary' : ''}${query()}`, auth: `Bearer ${bearer()}`, mustReject: false };
    case 4:
      return { method: 'PUT', path: `/api/admin/tenants/${company}${query()}`, body: encodeBody(rnd.next() < 0.8 ? tenantBody() : randomJson()), auth: adminAuth(), mustReject: true };
    case 5: {
      // Only ids that cannot name a stored tenant, so a connection test or registration never runs.
      const id = rnd.pick(['nobody', '..', '%00', 'a'.repeat(101), segment()].filter((s) => s.toLowerCase() !== demoCompanyId));
      return { method: 'POST', path: `/api/admin/tenants/${id}/${rnd.pick(['test', 'register-pod'])}${query()}`, body: encodeBody(randomJson()), auth: adminAuth(), mustReject: true };
    }
    case 6:
      return { method: 'GET', path: `/api/admin/tenants/${company}${rnd.next() < 0.5 ? '/boards' : ''}${query()}`, auth: adminAuth(), mustReject: false };
    case 7: {
      // The demo tenant only with a stale or malformed version; other ids are unknown.
      const stale = rnd.pick([`?version=${1_000_000 + rnd.int(9)}`, '?version=abc', '?version=0', '?version=-1', '?version=1.5']);
      return { method: 'DELETE', path: `/api/admin/tenants/${rnd.next() < 0.5 ? demoCompanyId : segment()}${stale}`, auth: adminAuth(), mustReject: true };
    }
    case 8:
      return { method: 'POST', path: '/api/admin/session', body: encodeBody(rnd.next() < 0.5 ? { token: randomString(40) } : randomJson()), mustReject: true };
    default:
      return { method: rnd.pick(['GET', 'POST', 'PATCH', 'OPTIONS']), path: `/api/${rnd.pick(['pod', 'admin'])}/${segment()}/${segment()}${query()}`, body: encodeBody(randomJson()), auth: adminAuth(), mustReject: true };
  }
}

// ---------- the run ----------

type Finding = { req: Req; status: number; problem: string; body: string };
/** Answers per status, and requests fetch refused to send or sent outside /api/: the run must really cover the routes. */
const seen = { statuses: new Map<string, number>(), unsent: 0 };
const tally = (req: Req, status: number) => {
  const key = `${req.method} ${req.path.split('/').slice(2, 3).join('')}${/\/tickets\//.test(req.path) ? ' tickets' : ''} ${status}`;
  seen.statuses.set(key, (seen.statuses.get(key) ?? 0) + 1);
};

async function send(req: Req): Promise<Finding | undefined> {
  const headers: Record<string, string> = { 'X-Forwarded-For': randomIp() };
  if (req.auth !== undefined) headers['Authorization'] = req.auth;
  if (req.body !== undefined) headers['Content-Type'] = rnd.next() < 0.9 ? 'application/json' : rnd.pick(['text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded']);
  let res: Response;
  try {
    res = await fetch(`${stack.url}${req.path}`, { method: req.method, headers, ...(req.body !== undefined && req.method !== 'GET' ? { body: req.body } : {}) });
  } catch (err) {
    // fetch refuses some headers it builds itself (e.g. a non-Latin-1 Bearer value): not a server answer.
    if (err instanceof TypeError && !String((err as Error & { cause?: unknown }).cause ?? '').includes('ECONN')) {
      seen.unsent += 1;
      return undefined;
    }
    return { req, status: 0, problem: `no answer: ${String(err)}`, body: '' };
  }
  const body = await res.text();
  // The URL parser resolves ".." and "%2e%2e" segments before sending: such a request may
  // leave /api/ altogether (a page, not an API answer).
  if (!new URL(res.url).pathname.startsWith('/api/')) {
    seen.unsent += 1;
    return undefined;
  }
  tally(req, res.status);
  const ok = res.status >= 200 && res.status < 300;
  if (req.method === 'OPTIONS' && ok) return undefined;
  if (ok) return req.mustReject ? { req, status: res.status, problem: 'accepted a request that must be rejected', body } : undefined;
  let parsed;
  try {
    parsed = ApiErrorBody.safeParse(JSON.parse(body));
  } catch {
    return { req, status: res.status, problem: 'error body is not JSON', body };
  }
  if (!parsed.success) return { req, status: res.status, problem: 'error body is not an ApiErrorBody', body };
  if (res.status >= 500 && !((res.status === 502 || res.status === 504) && connectwiseCodes.has(parsed.data.error.code))) {
    return { req, status: res.status, problem: 'a 5xx that is not a ConnectWise failure', body };
  }
  return undefined;
}

const tenantList = async () => {
  const res = await fetch(`${stack.url}/api/admin/tenants`, { headers: { Authorization: `Bearer ${stack.adminToken}`, 'X-Forwarded-For': '203.0.113.7' } });
  expect(res.status).toBe(200);
  return res.text();
};

describe(`fuzzing every API route (seed ${seed})`, () => {
  it(`answers ${REQUESTS} random and mutated requests with successes or well-formed JSON errors, and changes nothing`, async () => {
    const before = await tenantList();
    const findings: Finding[] = [];
    let sent = 0;
    async function worker() {
      while (sent < REQUESTS) {
        sent += 1;
        const req = nextRequest();
        const finding = await send(req);
        if (finding !== undefined) findings.push(finding);
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const after = await tenantList();
    const health = await fetch(`${stack.url}/healthz`);
    const unexpected = stack.logs.records().filter((r) => Number(r['level']) >= 50);
    const report = `FUZZ_SEED=${seed}: ${findings.length} findings, first: ${JSON.stringify(findings.slice(0, 3), null, 1).slice(0, 3000)}`;
    const total = [...seen.statuses.values()].reduce((a, b) => a + b, 0);
    console.info(`fuzz seed ${seed}: ${total} answered, ${seen.unsent} not sendable by fetch or resolved outside /api/; ` + [...seen.statuses].sort().map(([k, n]) => `${k}: ${n}`).join(', '));
    expect(total).toBeGreaterThan(REQUESTS * 0.9);
    // Coverage: the rate limiters must not have answered most of it.
    const limited = [...seen.statuses].filter(([k]) => k.endsWith(' 429')).reduce((a, [, n]) => a + n, 0);
    expect(limited).toBeLessThan(total * 0.1);
    expect(findings, report).toEqual([]);
    expect(unexpected, `FUZZ_SEED=${seed}: server errors logged`).toEqual([]);
    expect(health.status).toBe(200);
    expect(after, `FUZZ_SEED=${seed}: the tenants changed`).toBe(before);
  }, 120_000);
});

describe('PUT /api/admin/tenants/:companyId', () => {
  // Fails today: TenantInput accepts " ", the route trims it to "" and TenantWrite.parse in the
  // store throws, answered as 500 internal_error. Drop `.fails` once it answers 422.
  it('refuses a whitespace-only key with 422 validation_failed, not a 500', async () => {
    const res = await fetch(`${stack.url}/api/admin/tenants/${demoCompanyId}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${stack.adminToken}`, 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.9' },
      body: JSON.stringify({ site: 'na.myconnectwise.net', privateKey: ' ', version: 1_000_000 }),
    });
    expect(res.status).toBe(422);
    expect(ApiErrorBody.parse(await res.json()).error.code).toBe('validation_failed');
  });
});

describe('rate limits answer 429 with Retry-After and a JSON error', () => {
  let limited: LoggedStack;
  let ticketToken: string;
  const postSession = (body: unknown) =>
    fetch(`${limited.url}/api/pod/${demoCompanyId}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    limited = await startLoggedStack({ level: 'warn' });
    // Sign-in 1 of this address's 60 a minute.
    const member = addTechnicians(limited.simulator!.sim, 1, 'limit')[0]!;
    const res = await postSession(memberAuthentication(limited.simulator!.origin, member));
    expect(res.status).toBe(200);
    ticketToken = PodSession.parse(await res.json()).token;
  });
  afterAll(async () => limited?.stop());

  const expectLimited = async (res: Response) => {
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = ApiErrorBody.parse(await res.json());
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.retryAfter).toBeGreaterThan(0);
  };

  it('limits failed verifications per member (10 per 15 minutes), then sign-ins per address (60 a minute)', async () => {
    const forged = { ...memberAuthentication(limited.simulator!.origin, { ...demoTechnician }), memberHash: demoForgedMemberHash };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await postSession(forged)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    await expectLimited(await postSession(forged));

    // 12 sign-ins so far from this address; good ones count towards its 60 a minute too.
    const good = memberAuthentication(limited.simulator!.origin, { ...demoTechnician, identifier: 'admin1', memberHash: 'U2ltSGFzaC1hZG1pbjEtYzBmZmVlMTItMzQ1Ni00Nzg5LWFiY2QtZGVtbw==' });
    let accepted = 0;
    let res = await postSession(good);
    while (res.status === 200 && accepted < 100) {
      accepted += 1;
      res = await postSession(good);
    }
    expect(accepted).toBe(60 - 12);
    await expectLimited(res);
  });

  it('limits ticket requests per member session (120 a minute)', async () => {
    let answered = 0;
    let res: Response;
    do {
      // A cheap request the limiter still counts: a malformed ticket id (400 after the limiter).
      res = await fetch(`${limited.url}/api/pod/${demoCompanyId}/tickets/abc`, { headers: { Authorization: `Bearer ${ticketToken}` } });
      if (res.status === 400) answered += 1;
    } while (res.status === 400 && answered < 200);
    expect(answered).toBe(120);
    await expectLimited(res);
  });
});
