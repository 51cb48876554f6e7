import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createConnectWise, type LookupFn } from '../../../server/connectwise/connectwise.ts';
import { BlockedAddressError } from '../../../server/connectwise/errors/BlockedAddressError.ts';
import {
  assertUrlAllowed,
  classifyAddress,
  createGuardedDispatcher,
  type NetworkPolicy,
} from '../../../server/connectwise/network-guard.ts';
import type { ConnectWiseSite } from '../../../shared/connectwise-sites.ts';

// No msw in this file: msw intercepts fetch before the dispatcher, so the guard can only be
// tested against a real server. Every request here is to a real loopback HTTP server.

let server: http.Server;
let port = 0;
let hits = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/login/companyinfo/')) {
      res.end(JSON.stringify({ Codebase: 'v4_6_release/', IsCloud: false, CompanyID: 'acme', SiteUrl: null }));
    } else {
      res.end(JSON.stringify({ version: 'v2025.1', isCloud: false }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const publicAnswer: LookupFn = async () => [{ address: '93.184.215.14', family: 4 }];
const loopbackAnswer: LookupFn = async () => [{ address: '127.0.0.1', family: 4 }];

function policy(overrides: Partial<NetworkPolicy> = {}): NetworkPolicy {
  return { allowPrivateNetwork: false, allowedOrigins: [], lookup: loopbackAnswer, ...overrides };
}

/** Fetches through a guarded Agent; returns the status or the error the guard raised. */
async function fetchVia(p: NetworkPolicy, url: string): Promise<number | unknown> {
  const dispatcher = createGuardedDispatcher(p);
  try {
    const response = await fetch(url, { dispatcher } as RequestInit);
    await response.arrayBuffer();
    return response.status;
  } catch (err) {
    return (err as { cause?: unknown }).cause ?? err;
  } finally {
    await dispatcher.close();
  }
}

function expectBlocked(result: unknown, kind: string): BlockedAddressError {
  expect(result).toBeInstanceOf(BlockedAddressError);
  const err = result as BlockedAddressError;
  expect(err.kind).toBe(kind);
  return err;
}

describe('connection-time guard (undici Agent)', () => {
  it('blocks a host name that resolves to loopback, naming the host, the address and the kind', async () => {
    const before = hits;
    const err = expectBlocked(await fetchVia(policy(), `http://localhost:${port}/x`), 'loopback');
    expect(err.message).toBe(
      'localhost resolves to 127.0.0.1, a loopback address; set ALLOW_PRIVATE_NETWORK=true only for development.',
    );
    expect(err.message).not.toMatch(/ssrf/i);
    expect(hits).toBe(before);
  });

  it('blocks a made-up host name the resolver maps to 127.0.0.1', async () => {
    const before = hits;
    expectBlocked(await fetchVia(policy(), `http://na.example.test:${port}/x`), 'loopback');
    expect(hits).toBe(before);
  });

  it.each([
    ['127.0.0.1 literal', `http://127.0.0.1:PORT/x`],
    ['IPv4-mapped IPv6', `http://[::ffff:127.0.0.1]:PORT/x`],
    ['decimal IPv4', `http://2130706433:PORT/x`],
    ['hex IPv4', `http://0x7f.1:PORT/x`],
    ['short IPv4', `http://127.1:PORT/x`],
  ])('blocks the %s form even though the lookup hook is skipped for IP literals', async (_name, template) => {
    const lookups: string[] = [];
    const before = hits;
    const result = await fetchVia(
      policy({ lookup: async (h) => (lookups.push(h), loopbackAnswer(h)) }),
      template.replace('PORT', String(port)),
    );
    expectBlocked(result, 'loopback');
    expect(hits).toBe(before);
    expect(lookups).toEqual([]);
  });

  it('names the cloud metadata address', async () => {
    const err = expectBlocked(
      await fetchVia(policy({ lookup: async () => [{ address: '169.254.169.254', family: 4 }] }), 'http://metadata.test/'),
      'cloud metadata',
    );
    expect(err.message).toContain('169.254.169.254');
  });

  it('blocks when any one of several answers is private', async () => {
    const mixed: LookupFn = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    expectBlocked(await fetchVia(policy({ lookup: mixed }), `http://mixed.test:${port}/`), 'private');
  });

  it('lets loopback through when allowPrivateNetwork is set (names and literals)', async () => {
    const open = policy({ allowPrivateNetwork: true });
    expect(await fetchVia(open, `http://na.example.test:${port}/x`)).toBe(200);
    expect(await fetchVia(open, `http://127.0.0.1:${port}/x`)).toBe(200);
  });

  it('exempts exactly the allowed origin and nothing else on the same host', async () => {
    const exempt = policy({ allowedOrigins: [`http://127.0.0.1:${port}`] });
    expect(await fetchVia(exempt, `http://127.0.0.1:${port}/x`)).toBe(200);
    expectBlocked(await fetchVia(exempt, `http://localhost:${port}/x`), 'loopback');
    expectBlocked(await fetchVia(exempt, `https://127.0.0.1:${port}/x`), 'loopback');
  });
});

describe('save-time check (assertUrlAllowed)', () => {
  it.each([
    ['http://127.0.0.1', 'loopback'],
    ['http://[::ffff:127.0.0.1]', 'loopback'],
    ['http://2130706433', 'loopback'],
    ['http://0x7f.1', 'loopback'],
    ['https://10.1.2.3', 'private'],
    ['https://192.168.1.1', 'private'],
    ['https://172.16.0.1', 'private'],
    ['https://169.254.169.254', 'cloud metadata'],
    ['https://[fd00:ec2::254]', 'cloud metadata'],
    ['https://169.254.1.1', 'link-local'],
    ['https://100.64.0.1', 'carrier-grade NAT'],
    ['https://[fc00::1]', 'unique-local'],
    ['https://[fe80::1]', 'link-local'],
    ['https://[::1]', 'loopback'],
    ['https://0.0.0.0', 'unspecified'],
    ['https://224.0.0.1', 'multicast'],
  ])('refuses the literal %s as %s', async (url, kind) => {
    await expect(assertUrlAllowed(url, policy({ lookup: publicAnswer }))).rejects.toMatchObject({ kind });
  });

  it('refuses schemes other than http(s) and credentials inside the URL', async () => {
    await expect(assertUrlAllowed('ftp://na.example.com', policy())).rejects.toMatchObject({ kind: 'scheme' });
    await expect(assertUrlAllowed('https://u:p@na.example.com', policy())).rejects.toMatchObject({ kind: 'credentials' });
  });

  it('accepts a host that resolves to a public address and refuses one that resolves to a private one', async () => {
    await expect(assertUrlAllowed('https://na.example.com', policy({ lookup: publicAnswer }))).resolves.toBeUndefined();
    await expect(assertUrlAllowed('https://na.example.com', policy())).rejects.toBeInstanceOf(BlockedAddressError);
  });

  it('classifies public unicast as allowed', () => {
    expect(classifyAddress('93.184.215.14')).toBeNull();
    expect(classifyAddress('2606:2800:220:1::248')).toBeNull();
    expect(classifyAddress('::ffff:10.0.0.1')).toBe('private');
  });
});

describe('through the ConnectWise client', () => {
  const site = (host: string): ConnectWiseSite => ({
    uiOrigin: `http://${host}:${port}`,
    apiOrigin: `http://${host}:${port}`,
    region: null,
    kind: 'on-premise',
  });
  const tenant = (host: string) => ({
    companyId: 'acme',
    site: site(host),
    publicKey: 'pub',
    privateKey: 'priv',
    clientId: 'client-1',
  });

  it('catches DNS rebinding: the save-time check sees a public address, the connection a loopback one', async () => {
    let calls = 0;
    const rebinding: LookupFn = async () =>
      calls++ === 0 ? [{ address: '93.184.215.14', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const cw = createConnectWise({ allowPrivateNetwork: false, lookup: rebinding });
    try {
      // The save-time check resolves the public address and passes it; it then stops only at
      // the scheme, because this loopback test server speaks plain http.
      await expect(cw.assertSiteAllowed(site('rebind.test'))).rejects.toMatchObject({ kind: 'scheme' });
      const before = hits;
      await expect(cw.companyInfo(site('rebind.test'), 'acme')).rejects.toMatchObject({
        name: 'BlockedAddressError',
        kind: 'loopback',
        host: 'rebind.test',
      });
      expect(calls).toBeGreaterThanOrEqual(2);
      expect(hits).toBe(before);
    } finally {
      await cw.close();
    }
  });

  it('requires https for a ConnectWise site unless private networks are allowed or the origin is exempt', async () => {
    const publicAnswer: LookupFn = async () => [{ address: '93.184.215.14', family: 4 }];
    const strict = createConnectWise({ allowPrivateNetwork: false, lookup: publicAnswer });
    const onPrem = (origin: string) => ({ uiOrigin: origin, apiOrigin: origin, region: null, kind: 'on-premise' as const });
    try {
      await expect(strict.assertSiteAllowed(onPrem('http://cw.example.com'))).rejects.toMatchObject({
        name: 'BlockedAddressError',
        kind: 'scheme',
        message: expect.stringContaining('https://'),
      });
      await expect(strict.assertSiteAllowed(onPrem('https://cw.example.com'))).resolves.toBeUndefined();
    } finally {
      await strict.close();
    }
    const exempt = createConnectWise({ allowPrivateNetwork: false, allowedOrigins: ['http://cw.example.com'], lookup: publicAnswer });
    const dev = createConnectWise({ allowPrivateNetwork: true, lookup: publicAnswer });
    try {
      await expect(exempt.assertSiteAllowed(onPrem('http://cw.example.com'))).resolves.toBeUndefined();
      await expect(dev.assertSiteAllowed(onPrem('http://cw.example.com'))).resolves.toBeUndefined();
    } finally {
      await exempt.close();
      await dev.close();
    }
  });

  it('does not retry a GET the guard refused', async () => {
    let lookups = 0;
    const cw = createConnectWise({ allowPrivateNetwork: false, lookup: async (h) => (lookups++, loopbackAnswer(h)) });
    try {
      await expect(cw.companyInfo(site('na.example.test'), 'acme')).rejects.toBeInstanceOf(BlockedAddressError);
      expect(lookups).toBe(1);
    } finally {
      await cw.close();
    }
  });

  it('reaches the loopback server through an allowed origin, with discovery and API calls', async () => {
    const cw = createConnectWise({ allowPrivateNetwork: false, allowedOrigins: [`http://127.0.0.1:${port}`] });
    try {
      const api = cw.api(tenant('127.0.0.1'));
      expect(await api.apiBase()).toBe(`http://127.0.0.1:${port}/v4_6_release/apis/3.0`);
      const info = await api.get('system/info', z.looseObject({ version: z.string() }));
      expect(info.version).toBe('v2025.1');
      await expect(cw.assertSiteAllowed(site('127.0.0.1'))).resolves.toBeUndefined();
      await expect(cw.assertSiteAllowed(site('localhost'))).rejects.toBeInstanceOf(BlockedAddressError);
    } finally {
      await cw.close();
    }
  });
});
