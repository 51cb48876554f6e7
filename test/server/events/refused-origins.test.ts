import { describe, expect, it } from 'vitest';
import { createMemoryRefusedOriginLog } from '../../../server/events/refused-origins.ts';

const HOUR = 3_600_000;

function clock(start = Date.parse('2026-12-02T10:00:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('the refused-origins log', () => {
  it('keeps first and last seen and a count per address, most recently seen first', async () => {
    const c = clock();
    const log = createMemoryRefusedOriginLog({ now: c.now });
    log.record('Acme', 'https://a.example');
    c.advance(1000);
    log.record('acme', 'https://b.example');
    c.advance(1000);
    log.record('ACME', 'https://a.example');
    const list = await log.list('acme');
    expect(list).toEqual([
      { origin: 'https://a.example', firstSeen: '2026-12-02T10:00:00.000Z', lastSeen: '2026-12-02T10:00:02.000Z', count: 2 },
      { origin: 'https://b.example', firstSeen: '2026-12-02T10:00:01.000Z', lastSeen: '2026-12-02T10:00:01.000Z', count: 1 },
    ]);
    expect(await log.list('other')).toEqual([]);
  });

  it('keeps the 20 most recently seen addresses of a tenant', async () => {
    const c = clock();
    const log = createMemoryRefusedOriginLog({ now: c.now, limits: { newPerHour: 100 } });
    for (let i = 0; i < 25; i++) {
      log.record('acme', `https://cw${i}.example`);
      c.advance(1000);
    }
    const list = await log.list('acme');
    expect(list).toHaveLength(20);
    expect(list[0]!.origin).toBe('https://cw24.example');
    expect(list.at(-1)!.origin).toBe('https://cw5.example');
  });

  it('records at most 10 new addresses per tenant an hour, and counts known ones still', async () => {
    const c = clock();
    const log = createMemoryRefusedOriginLog({ now: c.now });
    log.record('acme', 'https://real.example');
    for (let i = 0; i < 30; i++) log.record('acme', `https://flood${i}.example`);
    let list = await log.list('acme');
    expect(list).toHaveLength(10);
    // The real address was not pushed out by the flood, and is still counted.
    log.record('acme', 'https://real.example');
    list = await log.list('acme');
    expect(list.find((r) => r.origin === 'https://real.example')?.count).toBe(2);
    // Another tenant has its own budget.
    log.record('other', 'https://x.example');
    expect(await log.list('other')).toHaveLength(1);
    // An hour later new ones are recorded again.
    c.advance(HOUR + 1);
    log.record('acme', 'https://later.example');
    expect((await log.list('acme'))[0]!.origin).toBe('https://later.example');
  });
});
