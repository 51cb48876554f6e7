import type { Json, JsonRecord } from './world.ts';
import { ConditionsError, matchesConditions, parseConditions, readPath } from './conditions.ts';

/**
 * The list parameters ConnectWise endpoints share (reference §4.3): conditions, orderBy,
 * fields, page (1-based), pageSize (default 25; values above 1000 are capped at 1000), and an
 * RFC 5988 Link header with next/last (and first/prev) pages.
 */

export class ListQueryError extends Error {
  override name = 'ListQueryError';
}

function positiveInt(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new ListQueryError(`${name} must be a positive whole number`);
  return Number(raw);
}

/** Projects a record onto `fields=a,b/c` (nested paths keep their parents). */
export function project<T extends JsonRecord>(record: T, fields: string | null): JsonRecord {
  if (fields === null || fields.trim() === '') return record;
  const out: JsonRecord = {};
  for (const field of fields.split(',').map((f) => f.trim()).filter((f) => f !== '')) {
    const path = field.split('/');
    const value = readPath(record, path);
    if (value === undefined) continue;
    let target = out;
    path.forEach((segment, i) => {
      const actualKey = findKey(i === 0 ? record : (readPath(record, path.slice(0, i)) as JsonRecord), segment) ?? segment;
      if (i === path.length - 1) {
        target[actualKey] = value;
      } else {
        const existing = target[actualKey];
        if (existing === undefined || existing === null || typeof existing !== 'object' || Array.isArray(existing)) target[actualKey] = {};
        target = target[actualKey] as JsonRecord;
      }
    });
  }
  return out;
}

function findKey(record: JsonRecord | null | undefined, segment: string): string | undefined {
  if (record === null || record === undefined || typeof record !== 'object') return undefined;
  const lower = segment.toLowerCase();
  return Object.keys(record).find((k) => k.toLowerCase() === lower);
}

function sortValue(v: Json | undefined): string | number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'string') return v.toLowerCase();
  return null;
}

function orderRecords<T extends JsonRecord>(records: T[], orderBy: string | null): T[] {
  if (orderBy === null || orderBy.trim() === '') return [...records].sort((a, b) => Number(a['id']) - Number(b['id']));
  const keys = orderBy.split(',').map((part) => {
    const [field = '', dir = 'asc', ...rest] = part.trim().split(/\s+/);
    if (field === '' || rest.length > 0 || !/^(asc|desc)$/i.test(dir)) throw new ListQueryError(`orderBy "${part.trim()}" must be "field" or "field asc|desc"`);
    return { path: field.split('/'), desc: dir.toLowerCase() === 'desc' };
  });
  return [...records].sort((a, b) => {
    for (const k of keys) {
      const x = sortValue(readPath(a, k.path));
      const y = sortValue(readPath(b, k.path));
      if (x === y) continue;
      // SQL Server sorts NULL first ascending.
      const d = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return k.desc ? -d : d;
    }
    return 0;
  });
}

export function filterRecords<T extends JsonRecord>(records: T[], url: URL): T[] {
  const conditions = url.searchParams.get('conditions');
  let parsed = null;
  if (conditions !== null && conditions.trim() !== '') {
    try {
      parsed = parseConditions(conditions);
    } catch (e) {
      if (e instanceof ConditionsError) throw new ListQueryError(`conditions: ${e.message}`);
      throw e;
    }
  }
  return records.filter((r) => matchesConditions(r, parsed));
}

export type ListPage = { items: JsonRecord[]; total: number; link: string | null };

export function listPage<T extends JsonRecord>(records: T[], url: URL): ListPage {
  const filtered = filterRecords(records, url);
  const ordered = orderRecords(filtered, url.searchParams.get('orderBy'));
  const page = positiveInt(url, 'page', 1);
  const pageSize = Math.min(positiveInt(url, 'pageSize', 25), 1000);
  const start = (page - 1) * pageSize;
  const items = ordered.slice(start, start + pageSize).map((r) => project(r, url.searchParams.get('fields')));
  const lastPage = Math.max(1, Math.ceil(ordered.length / pageSize));
  const pageUrl = (n: number) => {
    const u = new URL(url);
    u.searchParams.set('page', String(n));
    u.searchParams.set('pageSize', String(pageSize));
    return `<${u.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`);
  return { items, total: ordered.length, link: links.length === 0 ? null : links.join(', ') };
}
