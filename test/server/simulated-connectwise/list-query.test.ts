import { describe, expect, it } from 'vitest';
import { listPage, ListQueryError, project } from '../../../server/simulated-connectwise/list-query.ts';
import type { JsonRecord } from '../../../server/simulated-connectwise/world.ts';

const records: JsonRecord[] = Array.from({ length: 30 }, (_, i) => ({
  id: i + 1,
  summary: `Ticket ${i + 1}`,
  board: { id: (i % 3) + 1, name: `Board ${(i % 3) + 1}` },
  closedFlag: i % 5 === 0,
}));

const url = (q: string) => new URL(`https://cw.example.test/v4_6_release/apis/3.0/service/tickets?${q}`);

describe('list queries', () => {
  it('pages 25 by default, in id order, with Link next/last', () => {
    const page = listPage(records, url(''));
    expect(page.items.map((r) => r['id'])).toEqual(records.slice(0, 25).map((r) => r['id']));
    expect(page.link).toContain('rel="next"');
    expect(page.link).toContain('page=2');
  });

  it('serves later pages and says first/prev', () => {
    const page = listPage(records, url('page=2&pageSize=10'));
    expect(page.items.map((r) => r['id'])).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(page.link).toContain('rel="prev"');
    expect(page.link).toContain('rel="last"');
  });

  it('caps pageSize at 1000', () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({ id: i + 1 }));
    expect(listPage(many, url('pageSize=5000')).items).toHaveLength(1000);
  });

  it('orders by id desc', () => {
    expect(listPage(records, url('orderBy=id desc&pageSize=3')).items.map((r) => r['id'])).toEqual([30, 29, 28]);
  });

  it('orders by nested fields then id', () => {
    const ids = listPage(records, url('orderBy=board/id desc, id asc&pageSize=3')).items.map((r) => r['id']);
    expect(ids).toEqual([3, 6, 9]);
  });

  it('filters with conditions before paging', () => {
    const page = listPage(records, url(`conditions=${encodeURIComponent('board/id in (1,2) and closedFlag=false')}&pageSize=1000`));
    expect(page.total).toBe(records.filter((r) => (r['board'] as JsonRecord)['id'] !== 3 && r['closedFlag'] === false).length);
  });

  it('projects fields, nested ones inside their parent', () => {
    expect(project(records[0]!, 'id,board/name')).toEqual({ id: 1, board: { name: 'Board 1' } });
    const page = listPage(records, url('fields=id,summary&pageSize=1'));
    expect(page.items).toEqual([{ id: 1, summary: 'Ticket 1' }]);
  });

  it('rejects a bad page, pageSize or orderBy', () => {
    expect(() => listPage(records, url('page=0'))).toThrow(ListQueryError);
    expect(() => listPage(records, url('pageSize=abc'))).toThrow(ListQueryError);
    expect(() => listPage(records, url('orderBy=id sideways'))).toThrow(ListQueryError);
    expect(() => listPage(records, url('conditions=id=='))).toThrow(/conditions/);
  });
});
