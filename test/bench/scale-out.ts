import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { demoCompanyId, demoTicketIds } from '../../server/simulated-connectwise/demo.ts';
import { withTenantCache } from '../../server/tenants/cached-store.ts';
import { migratePostgres } from '../../server/tenants/postgres-migrations.ts';
import { createPostgresPool } from '../../server/tenants/postgres-pool.ts';
import { openPostgresTenantStore } from '../../server/tenants/postgres-store.ts';
import { generateSecretKey } from '../../server/tenants/secret-key.ts';
import { startTestCluster } from '../support/postgres-cluster.ts';
import { startPodStack, type PodStack } from '../support/pod-stack.ts';
import { addTechnicians } from '../support/members.ts';
import { normaliseSite } from '../../shared/connectwise-sites.ts';
import type { TenantWrite } from '../../server/tenants/tenant.ts';
import { getJson } from './pod-client.ts';
import { row, times, perSecond, type Row } from './report.ts';
import { load, sessions, type LoadFigures, type Req } from './throughput.ts';

/**
 * Sizing figures for operators (README, "Running several instances"): warm requests per
 * second of one instance on PostgreSQL beside the same instance on SQLite (the difference is
 * the shared rate-limit counter, one upsert per request), and the heap one cached tenant and
 * one cached ticket view take.
 */
export type ScaleOutFigures = { sqlite: LoadFigures; postgres: LoadFigures; bytesPerTenant: number; bytesPerView: number };

const DURATION_S = 5;
const MEMBERS = 400;
const TENANTS = 1000;
const VIEWS = 150;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

async function warmLoad(stack: PodStack, prefix: string): Promise<LoadFigures> {
  const sim = stack.simulator!.sim;
  const path = `/api/pod/demo/tickets/${demoTicketIds.helpDeskOpen}`;
  const tokens = await sessions(stack.url, addTechnicians(sim, MEMBERS, prefix), 0);
  for (const token of tokens) await getJson(`${stack.url}${path}`, token);
  const requests: Req[] = tokens.map((token) => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }));
  return load(stack.url, requests, DURATION_S);
}

/** Heap per cached ticket view: VIEWS copies of the richest demo ticket, each viewed once. */
async function bytesPerView(stack: PodStack): Promise<number> {
  const instance = stack.simulator!.sim.world.get(demoCompanyId)!;
  const template = instance.tickets.find((t) => t['id'] === demoTicketIds.helpDeskOpen)!;
  const ids = Array.from({ length: VIEWS }, (_, i) => 70_000 + i);
  for (const id of ids) instance.tickets.push({ ...template, id });
  const tokens = await sessions(stack.url, addTechnicians(stack.simulator!.sim, 10, 'benchview'), 5_000);
  const before = heap();
  for (const [i, id] of ids.entries()) {
    const res = await getJson(`${stack.url}/api/pod/demo/tickets/${id}`, tokens[i % tokens.length]!);
    if (res.status !== 200) throw new Error(`view ${id}: HTTP ${res.status}`);
  }
  return (heap() - before) / VIEWS;
}

function tenantWrite(companyId: string): TenantWrite {
  const site = normaliseSite('na.myconnectwise.net');
  if (!site.ok) throw new Error(site.message);
  return {
    companyId,
    siteInput: 'na.myconnectwise.net',
    site: site.site,
    publicKey: `pub-${companyId}-0123456789`,
    privateKey: `priv-${companyId}-0123456789abcdef`,
    clientId: '6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4',
    apiMemberId: 'podapi',
    nilearOrigin: null,
    boardIds: [1, 2, 3],
  };
}

async function bytesPerTenant(url: string): Promise<number> {
  const pool = createPostgresPool({ url, max: 4 });
  try {
    await migratePostgres(pool);
    const store = withTenantCache(await openPostgresTenantStore({ pool, secretKey: generateSecretKey() }), { ttlMs: 600_000, max: TENANTS * 2 });
    const ids = Array.from({ length: TENANTS }, (_, i) => `bench-tenant-${i}`);
    for (const id of ids) await store.upsert(tenantWrite(id));
    const before = heap();
    const kept = [];
    for (const id of ids) kept.push(await store.get(id));
    const after = heap();
    if (kept.some((t) => t === null)) throw new Error('a bench tenant was not found');
    return (after - before) / TENANTS;
  } finally {
    await pool.end();
  }
}

export async function measureScaleOut(): Promise<ScaleOutFigures> {
  const cluster = await startTestCluster();
  try {
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE bench_pod');
    await admin.query('CREATE DATABASE bench_tenants');
    await admin.end();
    const urlOf = (name: string) => {
      const u = new URL(cluster.adminUrl);
      u.pathname = `/${name}`;
      return u.toString();
    };

    const lite = await startPodStack({ TRUST_PROXY: '1' });
    let sqlite: LoadFigures;
    let perView: number;
    try {
      sqlite = await warmLoad(lite, 'scalelite');
      perView = await bytesPerView(lite);
    } finally {
      await lite.stop();
    }
    const shared = await startPodStack({ TRUST_PROXY: '1', DATABASE_URL: urlOf('bench_pod'), SECRET_KEY: generateSecretKey() });
    let postgres: LoadFigures;
    try {
      postgres = await warmLoad(shared, 'scalepg');
    } finally {
      await shared.stop();
    }
    const perTenant = await bytesPerTenant(urlOf('bench_tenants'));
    return { sqlite, postgres, bytesPerTenant: perTenant, bytesPerView: perView };
  } finally {
    await cluster.stop();
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function scaleOutRows(s: ScaleOutFigures): Row[] {
  const clean = (f: LoadFigures) => (f.non2xx === 0 && f.errors === 0 ? '' : `; ${f.non2xx} non-2xx, ${f.errors} errors`);
  return [
    row({
      figure: 'One instance on PostgreSQL, ticket context warm: req/s',
      value: `${perSecond(s.postgres.rps)}, p99 ${s.postgres.p99} ms${clean(s.postgres)}`,
      baseline: `SQLite: ${perSecond(s.sqlite.rps)}${clean(s.sqlite)}`,
      ratio: times(s.postgres.rps / s.sqlite.rps),
    }),
    row({ figure: 'Heap per cached tenant', value: kib(s.bytesPerTenant) }),
    row({ figure: 'Heap per cached ticket view (parts + access answer)', value: kib(s.bytesPerView) }),
  ];
}
