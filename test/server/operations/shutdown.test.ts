import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PodSession } from '../../../shared/pod-api.ts';
import { TicketContext } from '../../../shared/ticket-context.ts';
import { demoCompanyId, demoTechnician } from '../../../server/simulated-connectwise/demo.ts';
import { freePort } from '../../support/free-port.ts';

/**
 * `npm start`'s server as a real process: on SIGTERM or SIGINT it stops accepting, lets the
 * request in flight finish, closes the store and exits 0.
 */

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const adminToken = 'shutdown-admin-token-4e8a21';

type Running = { child: ChildProcess; url: string; simOrigin: string; dataDir: string; output: () => string };
const started: Running[] = [];

afterEach(async () => {
  for (const r of started.splice(0)) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill('SIGKILL');
      await once(r.child, 'exit');
    }
    await rm(r.dataDir, { recursive: true, force: true });
  }
});

async function startServer(): Promise<Running> {
  const port = await freePort();
  const simPort = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pod-shutdown-'));
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: repo,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      SIM_PORT: String(simPort),
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      // With ADMIN_TOKEN set, demo mode must be asked for.
      DEMO: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const running = { child, url: `http://127.0.0.1:${port}`, simOrigin: `http://127.0.0.1:${simPort}`, dataDir, output: () => output };
  started.push(running);
  for (let i = 0; i < 200; i += 1) {
    if (child.exitCode !== null) throw new Error(`the server exited at start:\n${output}`);
    const ok = await fetch(`${running.url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return running;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /healthz:\n${output}`);
}

/** Whether a new TCP connection to the port is refused (the listener is closed). */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

async function signInTechnician(r: Running): Promise<string> {
  const res = await fetch(`${r.url}/api/pod/${demoCompanyId}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      site: r.simOrigin,
      companyid: demoCompanyId,
      memberid: demoTechnician.identifier,
      memberHash: demoTechnician.memberHash,
      memberContext: demoTechnician.memberContext,
      memberEmail: demoTechnician.email,
      codeBase: 'v4_6_release/',
    }),
  });
  expect(res.status).toBe(200);
  return PodSession.parse(await res.json()).token;
}

describe.each(['SIGTERM', 'SIGINT'] as const)('on %s', (signal) => {
  it('finishes the request in flight, refuses new connections and exits 0', async () => {
    expect(process.version.startsWith('v24.')).toBe(true);
    const r = await startServer();
    const token = await signInTechnician(r);

    // ConnectWise answers every ticket read 2 s late, so the request is surely in flight.
    const fault = await fetch(`${r.simOrigin}/__sim/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'latency', ms: 2000, path: '*/service/tickets/*' }),
    });
    expect(fault.status).toBe(200);

    const exited = once(r.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const inFlight = fetch(`${r.url}/api/pod/${demoCompanyId}/tickets/1001?fresh=1`, {
      headers: { Authorization: `Bearer ${token}` },
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }));
    await new Promise((res) => setTimeout(res, 500));

    r.child.kill(signal);
    const signalledAt = Date.now();

    // The listener closes at once; the request keeps going.
    let closed = false;
    for (let i = 0; i < 40 && !closed; i += 1) {
      closed = await refused(r.url);
      if (!closed) await new Promise((res) => setTimeout(res, 50));
    }
    expect(closed).toBe(true);

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(TicketContext.parse(answer.body).ticket.id).toBe(1001);

    const deadline = new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), 12_000).unref());
    const outcome = await Promise.race([exited, deadline]);
    expect(outcome, r.output()).not.toBe('timeout');
    const [code, bySignal] = outcome as [number | null, NodeJS.Signals | null];
    console.info(`${signal}: exited ${code} ${Date.now() - signalledAt} ms after the signal`);
    expect({ code, bySignal }, r.output()).toEqual({ code: 0, bySignal: null });
  }, 40_000);
});
