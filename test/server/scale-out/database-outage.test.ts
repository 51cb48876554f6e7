import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../../shared/errors.ts';
import { PodSession } from '../../../shared/pod-api.ts';
import { demoTechnician } from '../../../server/simulated-connectwise/demo.ts';
import { generateSecretKey } from '../../../server/tenants/secret-key.ts';
import { memberAuthentication } from '../../support/members.ts';
import { startPodStack, type PodStack } from '../../support/pod-stack.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';

/**
 * The server on PostgreSQL loses its database: /readyz fails and requests answer a coded 503
 * (never a hang, a crash or a 500); once the database is back everything recovers by itself.
 */

let db: TestDatabase;
let stack: PodStack;

beforeAll(async () => {
  db = await createTestDatabase();
  stack = await startPodStack({ DATABASE_URL: db.url, SECRET_KEY: generateSecretKey() });
});
afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const readyz = () => fetch(`${stack.url}/readyz`).then((r) => r.status);
const adminList = () => fetch(`${stack.url}/api/admin/tenants`, { headers: { Authorization: `Bearer ${stack.adminToken}` } });
const signIn = () =>
  fetch(`${stack.url}/api/pod/demo/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(memberAuthentication(stack.simulator!.origin, demoTechnician)),
  });

async function cutDatabase(allow: boolean) {
  await db.admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
  if (!allow) {
    await db.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
  }
}

describe('a lost database connection', () => {
  it('fails /readyz and answers service_unavailable (503), then recovers by itself', async () => {
    expect(stack.database).toBe('postgres');
    expect(await readyz()).toBe(200);
    expect((await signIn()).status).toBe(200);

    await cutDatabase(false);
    try {
      await expect.poll(readyz).toBe(503);
      const admin = await adminList();
      expect(admin.status).toBe(503);
      expect(ApiErrorBody.parse(await admin.json()).error).toMatchObject({ code: 'service_unavailable', retryAfter: 5 });
      // The pod's sign-in goes through the shared limit counters first: also a coded 503.
      const pod = await signIn();
      expect(pod.status).toBe(503);
      expect(ApiErrorBody.parse(await pod.json()).error.code).toBe('service_unavailable');
      const page = await fetch(`${stack.url}/hostedapis/connectwiseiframe/unknown-co`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('service_unavailable');
      expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    } finally {
      await cutDatabase(true);
    }

    await expect.poll(readyz).toBe(200);
    expect((await adminList()).status).toBe(200);
    const res = await signIn();
    expect(res.status).toBe(200);
    PodSession.parse(await res.json());
  });
});
