import express, { type Request } from 'express';
import { describe, expect, it } from 'vitest';
import { serveApp } from '../../support/serve-app.ts';
import { byClaimedMember, byIp, hashedKey, limiter, MAX_LIMITER_KEY_LENGTH } from '../../../server/http/rate-limits.ts';
import { ApiErrorBody } from '../../../shared/errors.ts';


const windowMs = 60_000;

/** A session route whose answer the body chooses: `{"memberid", "ok"}`. */
async function start(options: { limit: number; failuresOnly?: boolean; byMember?: boolean }) {
  const app = express();
  app.post(
    '/api/pod/:companyId/session',
    express.json(),
    limiter({
      windowMs,
      limit: options.limit,
      message: 'Too many sign-in attempts; wait a minute.',
      ...(options.failuresOnly ? { failuresOnly: true } : {}),
      ...(options.byMember ? { key: byClaimedMember } : {}),
    }),
    (req, res) => {
      const body = req.body as { ok?: boolean };
      res.status(body.ok === false ? 401 : 200).json({ ok: body.ok !== false });
    },
  );
  const url = await serveApp(app);
  return (body: { memberid?: string; ok?: boolean } = {}, companyId = 'acme') =>
    fetch(`${url}/api/pod/${companyId}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
}

describe('limiter', () => {
  it('answers 429 rate_limited JSON with Retry-After once the limit is spent', async () => {
    const post = await start({ limit: 2 });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    const res = await post();
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
    const { error } = ApiErrorBody.parse(await res.json());
    expect(error).toEqual({ code: 'rate_limited', message: 'Too many sign-in attempts; wait a minute.', retryAfter });
  });

  it('sends the standard RateLimit headers and not the legacy X-RateLimit ones', async () => {
    const post = await start({ limit: 5 });
    const res = await post();
    expect(res.headers.get('ratelimit-policy')).toMatch(/q=5/);
    expect(res.headers.get('ratelimit')).toMatch(/r=4/);
    expect(res.headers.has('x-ratelimit-limit')).toBe(false);
  });

  it('with failuresOnly, counts only failed answers', async () => {
    const post = await start({ limit: 2, failuresOnly: true });
    for (let i = 0; i < 5; i++) expect((await post({ ok: true })).status).toBe(200);
    expect((await post({ ok: false })).status).toBe(401);
    expect((await post({ ok: true })).status).toBe(200);
    expect((await post({ ok: false })).status).toBe(401);
    // Two failures spent the limit: even a request that would succeed is now refused.
    expect((await post({ ok: true })).status).toBe(429);
  });

  it('without failuresOnly, counts successes too', async () => {
    const post = await start({ limit: 2 });
    expect((await post({ ok: true })).status).toBe(200);
    expect((await post({ ok: true })).status).toBe(200);
    expect((await post({ ok: true })).status).toBe(429);
  });

  it('keyed by the claimed member, gives each member of one office its own budget', async () => {
    const post = await start({ limit: 1, byMember: true });
    expect((await post({ memberid: 'jsmith' })).status).toBe(200);
    expect((await post({ memberid: 'JSmith' })).status).toBe(429);
    expect((await post({ memberid: 'akhan' })).status).toBe(200);
    expect((await post({ memberid: 'jsmith' }, 'other-msp')).status).toBe(200);
  });

  it('falls back to the client address when the request claims no member', async () => {
    const post = await start({ limit: 1, byMember: true });
    expect((await post({})).status).toBe(200);
    expect((await post({ memberid: 'x'.repeat(101) })).status).toBe(429);
  });
});

describe('byClaimedMember', () => {
  const request = (params: Record<string, string>, body: unknown) => ({ params, body }) as unknown as Request;

  it('keys a member by a short digest of company and member, case-folded (issue 10 item 6)', () => {
    const key = byClaimedMember(request({ companyId: 'acme' }, { memberid: 'jsmith' }));
    expect(key).toMatch(/^member:[A-Za-z0-9_-]{22}$/);
    expect(byClaimedMember(request({ companyId: 'ACME' }, { memberid: 'JSmith' }))).toBe(key);
    // Positive control: another member, another key.
    expect(byClaimedMember(request({ companyId: 'acme' }, { memberid: 'jdoe' }))).not.toBe(key);
    // The parts cannot be shifted into each other.
    expect(byClaimedMember(request({ companyId: 'acme:j' }, { memberid: 'smith' }))).not.toBe(key);
    expect(byClaimedMember(request({ companyId: 'acme' }, { memberid: 'x'.repeat(100) }))!.length).toBeLessThanOrEqual(MAX_LIMITER_KEY_LENGTH);
  });

  it('gives no key for a company id longer than any real one', () => {
    expect(byClaimedMember(request({ companyId: 'a'.repeat(16_000) }, { memberid: 'jsmith' }))).toBeUndefined();
  });

  it.each([
    ['no body', undefined],
    ['a body that is not an object', 'jsmith'],
    ['no memberid', { memberHash: 'x' }],
    ['a numeric memberid', { memberid: 12 }],
    ['an array memberid', { memberid: ['jsmith'] }],
    ['a memberid over 100 characters', { memberid: 'x'.repeat(101) }],
  ])('gives no key for %s', (_what, body) => {
    expect(byClaimedMember(request({ companyId: 'acme' }, body))).toBeUndefined();
  });
});

describe('byIp', () => {
  it.each([
    ['203.0.113.7', 'ip:203.0.113.7'],
    // IPv6 clients are grouped by /56, so one client cannot rotate through its addresses.
    ['2001:db8:1:2:3:4:5:6', 'ip:2001:db8:1::/56'],
  ])('keys %s as %s', (ip, key) => {
    expect(byIp({ ip } as Request)).toBe(key);
  });
});

describe('hashedKey', () => {
  it('keeps every key short, however long its parts', () => {
    for (const part of ['', 'a', 'x'.repeat(16_000), '\u0000;:'.repeat(1000)]) {
      expect(hashedKey('warm-up', part).length).toBeLessThanOrEqual(MAX_LIMITER_KEY_LENGTH);
    }
    expect(hashedKey('warm-up', 'Acme')).toBe(hashedKey('warm-up', 'acme'));
    expect(hashedKey('warm-up', 'acme')).not.toBe(hashedKey('session', 'acme'));
  });
});
