import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConnectWise, type ConnectWise } from '../../../server/connectwise/connectwise.ts';
import { ConnectWiseUnusableAnswerError } from '../../../server/connectwise/errors/ConnectWiseUnusableAnswerError.ts';
import { DEFAULT_MAX_ANSWER_BYTES } from '../../../server/connectwise/transport.ts';
import { normaliseSite } from '../../../shared/connectwise-sites.ts';

/**
 * Issue 10 item 4: every ConnectWise answer is read with a byte cap (Content-Length first,
 * then counted while streaming); over it the call fails as unusable, with a log line, and
 * nothing is cached. A real loopback server plays the site: msw would hand the body over
 * whole, and the point is what happens on the wire.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let server: Server;
let origin: string;
/** Bodies the server stopped writing because the client went away. */
let abandoned = 0;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const warnings: { obj: object; msg?: string | undefined }[] = [];
const logger = { debug() {}, info() {}, warn: (obj: object, msg?: string) => void warnings.push({ obj, msg }) };
let cw: ConnectWise | undefined;
afterEach(async () => {
  warnings.length = 0;
  await cw?.close();
  cw = undefined;
});

function connectWise(maxAnswerBytes?: number): ConnectWise {
  return (cw = createConnectWise({
    allowPrivateNetwork: true,
    logger,
    timeoutMs: 5000,
    totalTimeoutMs: 10_000,
    circuitBreaker: false,
    ...(maxAnswerBytes !== undefined ? { maxAnswerBytes } : {}),
  }));
}

const site = () => {
  const s = normaliseSite(origin);
  if (!s.ok) throw new Error(s.message);
  return s.site;
};

/** A companyinfo answer padded to about `bytes` with a long CompanyName. */
function companyInfo(bytes: number): string {
  return JSON.stringify({ CompanyName: 'x'.repeat(Math.max(0, bytes - 100)), Codebase: 'v4_6_release/', IsCloud: false });
}

/** Writes `total` bytes of one endless JSON string in 64 kB chunks, without Content-Length. */
function streamForever(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"CompanyName":"');
  const chunk = 'x'.repeat(64 * 1024);
  const pump = () => {
    while (res.write(chunk)) {
      if (res.destroyed) return;
    }
    res.once('drain', pump);
  };
  res.on('close', () => {
    if (!res.writableFinished) abandoned += 1;
  });
  pump();
}

describe('the answer byte cap', () => {
  it('defaults to 5 MB', () => {
    expect(DEFAULT_MAX_ANSWER_BYTES).toBe(5 * 1024 * 1024);
  });

  it('refuses an answer whose Content-Length is over the cap before reading it, and logs it', async () => {
    const body = companyInfo(DEFAULT_MAX_ANSWER_BYTES + 1024);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const err = await connectWise().companyInfo(site(), 'acme').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectWiseUnusableAnswerError);
    expect(err).toMatchObject({ reason: 'too_large', endpoint: 'login/companyinfo', limitBytes: DEFAULT_MAX_ANSWER_BYTES });
    expect(warnings.map((w) => w.msg)).toContain('ConnectWise answer over the size cap refused');
  });

  it('stops reading an answer without Content-Length as soon as it passes the cap, and drops the connection', async () => {
    abandoned = 0;
    handler = (_req, res) => streamForever(res);
    const err = await connectWise(256 * 1024).companyInfo(site(), 'acme').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ConnectWiseUnusableAnswerError', reason: 'too_large', limitBytes: 256 * 1024 });
    // The endless body was abandoned by the client, not finished.
    await expect.poll(() => abandoned).toBe(1);
  });

  it('counts a compressed answer at its decompressed size (no gzip bomb)', async () => {
    const body = gzipSync(companyInfo(2 * 1024 * 1024));
    expect(body.byteLength).toBeLessThan(64 * 1024);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.byteLength });
      res.end(body);
    };
    await expect(connectWise(1024 * 1024).companyInfo(site(), 'acme')).rejects.toMatchObject({ reason: 'too_large' });
  });

  it('caps error bodies too, and the call still fails with ConnectWise’s status', async () => {
    handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'InvalidObject', message: 'y'.repeat(512 * 1024) }));
    };
    const err = await connectWise(256 * 1024).companyInfo(site(), 'acme').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ConnectWiseHttpError', status: 400 });
    expect((err as Error).message.length).toBeLessThan(1000);
  });

  it('caches nothing of a refused answer, and reads an answer under the cap (positive control)', async () => {
    let calls = 0;
    let size = 600 * 1024;
    handler = (_req, res) => {
      calls += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ CompanyName: 'Acme', Codebase: 'v4_6_release/', IsCloud: false, Padding: 'p'.repeat(size) }));
    };
    const api = connectWise(512 * 1024);
    await expect(api.companyInfo(site(), 'acme')).rejects.toMatchObject({ reason: 'too_large' });
    size = 100 * 1024;
    const info = await api.companyInfo(site(), 'acme');
    expect(info).toMatchObject({ CompanyName: 'Acme', Codebase: 'v4_6_release/' });
    expect(calls).toBe(2);
    // The cached entry keeps only known, length-limited fields: the padding is gone.
    expect(JSON.stringify(info).length).toBeLessThan(200);
    await api.companyInfo(site(), 'acme');
    expect(calls).toBe(2);
  });

  it('refuses over-long strings in the long-lived company cache', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(companyInfo(64 * 1024));
    };
    await expect(connectWise().companyInfo(site(), 'acme')).rejects.toMatchObject({ reason: 'bad_shape' });
  });
});

describe('schemas of cached ConnectWise answers', () => {
  it('limit the member name and identifier kept with a verification', async () => {
    const { MyMemberInfo } = await import('../../../server/connectwise/schemas/my-member-info.ts');
    expect(MyMemberInfo.safeParse({ identifier: 'x'.repeat(101) }).success).toBe(false);
    expect(MyMemberInfo.safeParse({ identifier: 'jsmith', fullName: 'y'.repeat(201) }).success).toBe(false);
    expect(MyMemberInfo.safeParse({ identifier: 'jsmith', fullName: 'John Smith' }).success).toBe(true);
  });
});
