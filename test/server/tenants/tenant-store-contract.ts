import { describe, expect, it, vi } from 'vitest';
import { CorruptTenantError } from '../../../server/tenants/errors/CorruptTenantError.ts';
import { VersionConflictError } from '../../../server/tenants/errors/VersionConflictError.ts';
import type { TenantStore } from '../../../server/tenants/tenant.ts';
import { tenantWrite, testResult } from './fixtures.ts';

/**
 * The TenantStore contract: one suite, run against every store (sqlite-store.test.ts,
 * postgres-store.test.ts), so the server behaves the same whichever database holds tenants.
 */
export type StoreHarness = {
  /** New, empty storage. `open` may be called twice: two instances on one database. */
  fresh(): Promise<Storage>;
};

export type Storage = {
  open(options?: { onCorruptRow?: (error: CorruptTenantError) => void }): Promise<TenantStore>;
  /** Runs SQL behind the store's back (to damage a row); `?` placeholders in order. */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** The first column of the first row of a query, as text. */
  value(sql: string): Promise<string>;
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

export function tenantStoreContract(h: StoreHarness): void {
  describe('upsert and get', () => {
    it('creates a tenant at version 1 and reads it back as saved', async () => {
      const store = await (await h.fresh()).open();
      const write = tenantWrite('acme', { boardIds: [3, 1], clientId: 'c1d2', nilearOrigin: 'https://mtx.example.com' });
      const { tenant, created } = await store.upsert(write);
      expect(created).toBe(true);
      expect(tenant).toEqual({ ...write, createdAt: tenant.createdAt, updatedAt: tenant.createdAt, version: 1, lastTest: null });
      expect(await store.get('acme')).toEqual(tenant);
    });

    it('answers null for a tenant that does not exist', async () => {
      const store = await (await h.fresh()).open();
      expect(await store.get('nobody')).toBeNull();
    });

    it('bumps the version by one on each update, keeping createdAt', async () => {
      const store = await (await h.fresh()).open();
      const first = (await store.upsert(tenantWrite('acme'))).tenant;
      const write = tenantWrite('acme', { boardIds: [9] });
      const second = await store.upsert(write, { expectedVersion: 1 });
      expect(second.created).toBe(false);
      expect(second.tenant).toMatchObject({ ...write, version: 2, createdAt: first.createdAt });
      expect(Date.parse(second.tenant.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
      expect((await store.upsert(write)).tenant.version).toBe(3);
      expect(await store.get('acme')).toMatchObject({ version: 3, boardIds: [9] });
    });

    it('treats ACME and acme as one tenant and keeps the casing first entered', async () => {
      const store = await (await h.fresh()).open();
      await store.upsert(tenantWrite('ACME'));
      const again = await store.upsert(tenantWrite('acme', { apiMemberId: 'other' }));
      expect(again.created).toBe(false);
      expect(again.tenant.companyId).toBe('ACME');
      expect(await store.get('acme')).toMatchObject({ companyId: 'ACME', apiMemberId: 'other', version: 2 });
      expect(await store.get('AcMe')).toMatchObject({ companyId: 'ACME' });
      expect((await store.list()).map((t) => t.companyId)).toEqual(['ACME']);
    });

    it('rejects a stale expectedVersion with VersionConflictError and changes nothing', async () => {
      const store = await (await h.fresh()).open();
      await store.upsert(tenantWrite('acme'));
      const current = (await store.upsert(tenantWrite('acme'), { expectedVersion: 1 })).tenant;
      const error = await rejection(store.upsert(tenantWrite('acme', { boardIds: [5] }), { expectedVersion: 1 }));
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error).toMatchObject({ companyId: 'acme', expectedVersion: 1, actualVersion: 2 });
      expect(error.message).toMatch(/version 2, not 1/);
      expect(await store.get('acme')).toEqual(current);
    });

    it('conflicts when an expected version is given for a tenant that no longer exists', async () => {
      const store = await (await h.fresh()).open();
      const error = await rejection(store.upsert(tenantWrite('acme'), { expectedVersion: 4 }));
      expect(error).toMatchObject({ name: 'VersionConflictError', actualVersion: null });
      expect(await store.get('acme')).toBeNull();
    });

    it('with expectedVersion 0 only creates, never overwrites', async () => {
      const store = await (await h.fresh()).open();
      expect((await store.upsert(tenantWrite('acme'), { expectedVersion: 0 })).created).toBe(true);
      const error = await rejection(store.upsert(tenantWrite('ACME'), { expectedVersion: 0 }));
      expect(error).toMatchObject({ name: 'VersionConflictError', expectedVersion: 0, actualVersion: 1 });
      expect(error.message).toMatch(/already exists/);
    });

    it('lets exactly one of two concurrent updates from the same version win', async () => {
      const store = await (await h.fresh()).open();
      await store.upsert(tenantWrite('acme'));
      const results = await Promise.allSettled([
        store.upsert(tenantWrite('acme', { apiMemberId: 'a' }), { expectedVersion: 1 }),
        store.upsert(tenantWrite('acme', { apiMemberId: 'b' }), { expectedVersion: 1 }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(VersionConflictError)]);
      const winner = (won[0] as PromiseFulfilledResult<{ tenant: { apiMemberId: string | null } }>).value.tenant;
      expect(await store.get('acme')).toMatchObject({ version: 2, apiMemberId: winner.apiMemberId });
    });

    it('lets exactly one of two processes’ updates from the same version win', async () => {
      const storage = await h.fresh();
      const a = await storage.open();
      const b = await storage.open();
      await a.upsert(tenantWrite('acme'));
      const read = await b.get('acme');
      await a.upsert(tenantWrite('acme', { apiMemberId: 'a' }), { expectedVersion: read!.version });
      await expect(b.upsert(tenantWrite('acme', { apiMemberId: 'b' }), { expectedVersion: read!.version })).rejects.toThrow(
        VersionConflictError,
      );
      expect(await b.get('acme')).toMatchObject({ version: 2, apiMemberId: 'a' });
    });

    it('rejects a write that is not a valid tenant, storing nothing', async () => {
      const store = await (await h.fresh()).open();
      await expect(store.upsert(tenantWrite('not valid!'))).rejects.toThrow(/companyId/);
      await expect(store.upsert({ ...tenantWrite('acme'), privateKey: '' })).rejects.toThrow(/privateKey/);
      expect(await store.list()).toEqual([]);
    });
  });

  describe('list', () => {
    it('returns every tenant ordered by company id, case-insensitively', async () => {
      const store = await (await h.fresh()).open();
      for (const id of ['globex', 'Acme', 'initech']) await store.upsert(tenantWrite(id));
      expect((await store.list()).map((t) => t.companyId)).toEqual(['Acme', 'globex', 'initech']);
    });
  });

  describe('delete', () => {
    it('deletes a tenant, case-insensitively, and reports whether there was one', async () => {
      const store = await (await h.fresh()).open();
      await store.upsert(tenantWrite('Acme'));
      await store.upsert(tenantWrite('globex'));
      expect(await store.delete('ACME')).toBe(true);
      expect(await store.get('acme')).toBeNull();
      expect(await store.delete('acme')).toBe(false);
      expect((await store.list()).map((t) => t.companyId)).toEqual(['globex']);
    });

    it('refuses to delete with a stale version', async () => {
      const store = await (await h.fresh()).open();
      await store.upsert(tenantWrite('acme'));
      await store.upsert(tenantWrite('acme'));
      await expect(store.delete('acme', { expectedVersion: 1 })).rejects.toMatchObject({
        name: 'VersionConflictError',
        actualVersion: 2,
      });
      expect(await store.get('acme')).not.toBeNull();
      expect(await store.delete('acme', { expectedVersion: 2 })).toBe(true);
    });

    it('answers false, not a conflict, when the tenant is already gone', async () => {
      const store = await (await h.fresh()).open();
      expect(await store.delete('acme', { expectedVersion: 3 })).toBe(false);
    });
  });

  describe('saveTestResult', () => {
    it('stores the last test without bumping the version or updatedAt', async () => {
      const store = await (await h.fresh()).open();
      const { tenant } = await store.upsert(tenantWrite('acme'));
      const result = testResult(false);
      await store.saveTestResult('ACME', result);
      expect(await store.get('acme')).toEqual({ ...tenant, lastTest: result });
      // The admin's form, opened at version 1, can still be saved.
      await expect(store.upsert(tenantWrite('acme'), { expectedVersion: 1 })).resolves.toMatchObject({
        tenant: { version: 2, lastTest: result },
      });
    });

    it('replaces the previous result', async () => {
      const store = await (await h.fresh()).open();
      await store.upsert(tenantWrite('acme'));
      await store.saveTestResult('acme', testResult(false));
      const second = testResult(true);
      await store.saveTestResult('acme', second);
      expect((await store.get('acme'))?.lastTest).toEqual(second);
    });

    it('does nothing for an unknown tenant', async () => {
      const store = await (await h.fresh()).open();
      await store.saveTestResult('ghost', testResult(true));
      expect(await store.list()).toEqual([]);
    });

    it('rejects a result that is not a ConnectionTestResult', async () => {
      const store = await (await h.fresh()).open();
      await store.upsert(tenantWrite('acme'));
      await expect(store.saveTestResult('acme', { ok: 'yes' } as never)).rejects.toThrow();
      expect((await store.get('acme'))?.lastTest).toBeNull();
    });
  });

  describe('rows that cannot be read', () => {
    async function twoTenants() {
      const storage = await h.fresh();
      const reported: CorruptTenantError[] = [];
      const store = await storage.open({ onCorruptRow: (e) => reported.push(e) });
      const acme = tenantWrite('acme');
      await store.upsert(acme);
      const { tenant: globex } = await store.upsert(tenantWrite('globex'));
      return { store, reported, acme, globex, db: storage };
    }

    it('reports a column that is not valid JSON by tenant and field; list() still returns the others', async () => {
      const { store, reported, globex, db } = await twoTenants();
      await db.exec(`UPDATE tenants SET site = '{broken' WHERE company_key = 'acme'`);
      const error = await rejection(store.get('acme'));
      expect(error).toBeInstanceOf(CorruptTenantError);
      expect(error.message).toMatch(/^Tenant "acme" is stored in a form that cannot be read \(site: not valid JSON\)/);
      expect(await store.list()).toEqual([globex]);
      expect(reported.map((e) => [e.companyId, e.problems])).toEqual([['acme', ['site: not valid JSON']]]);
    });

    it('reports values the schema rejects, by path', async () => {
      const { store, db } = await twoTenants();
      await db.exec(`UPDATE tenants SET board_ids = '["seven"]', last_test = '{"ok":1}' WHERE company_key = 'acme'`);
      const error = (await rejection(store.get('acme'))) as CorruptTenantError;
      expect(error.problems).toEqual(
        expect.arrayContaining([expect.stringMatching(/^boardIds\.0: /), expect.stringMatching(/^lastTest\.ok: /)]),
      );
    });

    it('reports a tampered ciphertext without revealing the secret or the ciphertext', async () => {
      const { store, acme, db, reported } = await twoTenants();
      const sealed = await db.value(`SELECT private_key FROM tenants WHERE company_key = 'acme'`);
      const parts = sealed.split('.');
      const ct = Buffer.from(parts[4]!, 'base64url');
      ct[0] = ct[0]! ^ 0xff;
      parts[4] = ct.toString('base64url');
      await db.exec(`UPDATE tenants SET private_key = ? WHERE company_key = 'acme'`, [parts.join('.')]);
      const error = (await rejection(store.get('acme'))) as CorruptTenantError;
      expect(error.problems).toEqual([expect.stringMatching(/^privateKey: .*authentication failed/)]);
      for (const text of [error.message, String(error.cause)]) {
        expect(text).not.toContain(acme.privateKey);
        expect(text).not.toContain(acme.publicKey);
        expect(text).not.toContain(parts[4]);
      }
      await store.list();
      expect(reported).toHaveLength(1);
    });

    it('refuses a ciphertext moved to another tenant’s row', async () => {
      const { store, db, reported } = await twoTenants();
      await db.exec(`UPDATE tenants SET private_key = (SELECT private_key FROM tenants WHERE company_key = 'acme') WHERE company_key = 'globex'`);
      await expect(store.get('globex')).rejects.toThrow(/privateKey: .*authentication failed/);
      expect((await store.list()).map((t) => t.companyId)).toEqual(['acme']);
      expect(reported.map((e) => e.companyId)).toEqual(['globex']);
    });

    it('refuses a ciphertext moved to the other key field', async () => {
      const { store, db } = await twoTenants();
      await db.exec(`UPDATE tenants SET public_key = private_key WHERE company_key = 'acme'`);
      await expect(store.get('acme')).rejects.toThrow(/publicKey: .*authentication failed/);
    });

    it('can still delete an unreadable tenant, or heal it by saving it again', async () => {
      const { store, db } = await twoTenants();
      await db.exec(`UPDATE tenants SET site = 'null', last_test = '{bad' WHERE company_key IN ('acme', 'globex')`);
      expect(await store.delete('globex', { expectedVersion: 1 })).toBe(true);
      const healed = await store.upsert(tenantWrite('acme'), { expectedVersion: 1 });
      expect(healed.tenant).toMatchObject({ version: 2, lastTest: null });
      expect(await store.get('acme')).toEqual(healed.tenant);
    });

    it('by default reports an unreadable row as a process warning', async () => {
      const storage = await h.fresh();
      const store = await storage.open();
      await store.upsert(tenantWrite('acme'));
      await storage.exec(`UPDATE tenants SET board_ids = 'x'`);
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      try {
        expect(await store.list()).toEqual([]);
        expect(warn).toHaveBeenCalledWith(expect.stringContaining('Tenant "acme"'), { code: 'CORRUPT_TENANT' });
      } finally {
        warn.mockRestore();
      }
    });
  });

  describe('ping and close', () => {
    it('answers ping while open and not after close; close twice is harmless', async () => {
      const store = await (await h.fresh()).open();
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
      await store.close();
      await expect(store.get('acme')).rejects.toThrow('The tenant store is closed.');
      await expect(store.upsert(tenantWrite('acme'))).rejects.toThrow('The tenant store is closed.');
    });
  });
}
