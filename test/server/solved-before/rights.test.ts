import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../server/http/errors/ApiError.ts';
import { visibleHits, type SolvedBeforeRights } from '../../../server/solved-before/rights.ts';

const ranked = Array.from({ length: 12 }, (_, i) => ({ id: 100 + i, boardId: i % 3 === 0 ? 2 : 1 }));

function rights(over: Partial<SolvedBeforeRights> = {}): SolvedBeforeRights & { asked: number[] } {
  const asked: number[] = [];
  return {
    grants: { serviceTickets: true, notes: true },
    tenantBoards: [],
    mayRead: (t) => {
      asked.push(t.id);
      return t.boardId === 1;
    },
    asked,
    ...over,
  };
}

describe('visibleHits', () => {
  it('keeps the best hits the member may read, in rank order, asking in batches', async () => {
    const r = rights();
    const hits = await visibleHits(ranked, r, 5);
    expect(hits.map((h) => h.id)).toEqual([101, 102, 104, 105, 107]);
    expect(r.asked.length).toBeLessThanOrEqual(15);
  });

  it("drops boards the tenant did not enable without asking about them", async () => {
    const r = rights({ tenantBoards: [2], mayRead: () => true });
    const hits = await visibleHits(ranked, r, 5);
    expect(hits.every((h) => h.boardId === 2)).toBe(true);
    expect(hits).toHaveLength(4);
  });

  it('stops after a bounded number of checks for a member who may read little', async () => {
    const r = rights({ mayRead: (t) => t.id === 111 });
    const asked: number[] = [];
    const hits = await visibleHits(ranked, { ...r, mayRead: (t) => (asked.push(t.id), t.id === 111) }, 2, 6);
    expect(hits).toEqual([]);
    expect(asked).toHaveLength(6);
  });

  it('refuses a role without service tickets or notes', async () => {
    await expect(visibleHits(ranked, rights({ grants: { serviceTickets: true, notes: false } }), 5)).rejects.toBeInstanceOf(ApiError);
    await expect(visibleHits(ranked, rights({ grants: { serviceTickets: true, notes: false } }), 5)).rejects.toMatchObject({ code: 'ticket_forbidden' });
  });
});
