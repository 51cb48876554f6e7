import type { TenantApi, ConnectWise, TenantConnection } from '../connectwise/connectwise.ts';
import { CwCompanyStatusList, CwPriorityList, type CwCompanyStatus, type CwPriority } from './schemas/reference-data.ts';

/**
 * A tenant's setup tables the view needs beside the ticket (issue 12): service priorities
 * (ConnectWise's colour and sort order) and company statuses (notification message, inactive).
 * They change rarely, so each is read once per tenant, one list call each, and kept for hours:
 * a cold view pays at most these 2 calls, and none once the tenant's tables are cached.
 *
 * A table that cannot be read (403 for a role without Table Setup, an outage) is simply not
 * used: the view shows priorities without colour and no status alert. The failure is kept for
 * a minute so a tenant without the right does not pay a refused call per view.
 */

export type ReferenceTables = {
  priorities: ReadonlyMap<number, CwPriority>;
  companyStatuses: ReadonlyMap<number, CwCompanyStatus>;
};

export type ReferenceDataOptions = {
  connectwise: ConnectWise;
  /** How long a table is kept (default 6 h). */
  ttlMs?: number;
  /** How long a failed read is remembered before trying again (default 60 s). */
  failureTtlMs?: number;
  /** Cap on tenants kept (oldest dropped first; default 1000). */
  maxTenants?: number;
  now?: () => number;
};

type Table<T> = ReadonlyMap<number, T>;
type Entry<T> = { at: number; ok: boolean; value: Promise<Table<T> | undefined> };

const MAX_PAGE_SIZE = 1000;

function readPriorities(api: TenantApi): Promise<Table<CwPriority>> {
  return api
    .get('service/priorities', CwPriorityList, {
      searchParams: { fields: 'id,name,color,sortOrder,level', pageSize: MAX_PAGE_SIZE },
    })
    .then((rows) => new Map(rows.map((row) => [row.id, row])));
}

function readCompanyStatuses(api: TenantApi): Promise<Table<CwCompanyStatus>> {
  return api
    .get('company/companies/statuses', CwCompanyStatusList, {
      searchParams: { fields: 'id,name,inactiveFlag,notifyFlag,disallowSavingFlag,notificationMessage', pageSize: MAX_PAGE_SIZE },
    })
    .then((rows) => new Map(rows.map((row) => [row.id, row])));
}

export function createReferenceData(options: ReferenceDataOptions) {
  const ttlMs = options.ttlMs ?? 6 * 3_600_000;
  const failureTtlMs = options.failureTtlMs ?? 60_000;
  const maxTenants = options.maxTenants ?? 1000;
  const now = options.now ?? Date.now;
  const tables = new Map<string, Entry<unknown>>();

  function cached<T>(t: TenantConnection, name: string, read: (api: TenantApi) => Promise<Table<T>>): Promise<Table<T> | undefined> {
    const key = `${t.companyId.toLowerCase()}:${name}`;
    const hit = tables.get(key) as Entry<T> | undefined;
    if (hit !== undefined && now() - hit.at < (hit.ok ? ttlMs : failureTtlMs)) return hit.value;
    const entry: Entry<T> = { at: now(), ok: true, value: Promise.resolve(undefined) };
    entry.value = read(options.connectwise.api(t)).then(
      (table) => {
        entry.at = now();
        return table;
      },
      () => {
        entry.ok = false;
        entry.at = now();
        return undefined;
      },
    );
    tables.delete(key);
    tables.set(key, entry as Entry<unknown>);
    while (tables.size > maxTenants * 2) {
      const oldest = tables.keys().next().value;
      if (oldest === undefined) break;
      tables.delete(oldest);
    }
    return entry.value;
  }

  return {
    /** Both tables, each from the cache or one read; never rejects (a failed table is absent). */
    async load(t: TenantConnection): Promise<Partial<ReferenceTables>> {
      const [priorities, companyStatuses] = await Promise.all([
        cached(t, 'priorities', readPriorities),
        cached(t, 'companyStatuses', readCompanyStatuses),
      ]);
      return {
        ...(priorities !== undefined ? { priorities } : {}),
        ...(companyStatuses !== undefined ? { companyStatuses } : {}),
      };
    },
  };
}

export type ReferenceData = ReturnType<typeof createReferenceData>;

/**
 * The tables if they are ready now, else none: a view never waits on them. They are read
 * alongside the view's first round, so they are normally in by the time the view is
 * assembled; when ConnectWise is slow or hanging, the view goes out without colours rather
 * than late (and the read, still in flight, serves the next view).
 */
export function readyTables(tables: Promise<Partial<ReferenceTables>>): Promise<Partial<ReferenceTables>> {
  return Promise.race([tables, new Promise<Partial<ReferenceTables>>((resolve) => setTimeout(() => resolve({}), 0))]);
}
