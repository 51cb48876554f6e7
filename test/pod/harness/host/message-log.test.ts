import { describe, expect, it } from 'vitest';
import {
  createMessageLog,
  describeData,
  filterEntries,
  formatEntryBody,
  type LogDirection,
} from '../../../../pod/harness/host/message-log.ts';

const all = new Set<LogDirection>(['in', 'out', 'ignored', 'note']);

describe('message log', () => {
  it('numbers entries and stamps them with ms since load', () => {
    let now = 12.4;
    const log = createMessageLog({ now: () => now });
    log.add({ direction: 'out', origin: 'http://pod', kind: 'a', raw: '{}' });
    now = 40.6;
    log.add({ direction: 'in', origin: 'http://pod', kind: 'b', raw: '{}' });
    expect(log.entries.value.map((e) => [e.seq, e.atMs])).toEqual([
      [1, 12],
      [2, 41],
    ]);
    log.clear();
    expect(log.entries.value).toEqual([]);
  });

  it('keeps at most 2000 entries, dropping the oldest', () => {
    const log = createMessageLog({ now: () => 0 });
    for (let i = 0; i < 2005; i++) log.add({ direction: 'note', origin: '', kind: `k${i}`, raw: '' });
    expect(log.entries.value).toHaveLength(2000);
    expect(log.entries.value[0]!.kind).toBe('k5');
  });

  it('filters by text across kind, origin, note and body, and by direction', () => {
    const log = createMessageLog({ now: () => 0 });
    log.add({ direction: 'out', origin: 'http://pod', kind: 'onLoad', raw: '{"event":"onLoad"}' });
    log.add({ direction: 'ignored', origin: 'https://evil.example', kind: 'foreign', raw: 'x', note: 'not from the pod frame' });
    log.add({ direction: 'in', origin: 'http://pod', kind: 'ready', raw: '{"message":"ready"}' });
    const kinds = (text: string, directions = all) => filterEntries(log.entries.value, { text, directions }).map((e) => e.kind);
    expect(kinds('')).toEqual(['onLoad', 'foreign', 'ready']);
    expect(kinds('EVIL')).toEqual(['foreign']);
    expect(kinds('pod frame')).toEqual(['foreign']);
    expect(kinds('"message"')).toEqual(['ready']);
    expect(kinds('', new Set<LogDirection>(['in', 'out']))).toEqual(['onLoad', 'ready']);
  });

  it('pretty-prints JSON and masks credentials unless revealed', () => {
    const raw = JSON.stringify({ response: 'getmemberauthentication', data: { memberid: 'jsmith', memberHash: 'abcdef', memberContext: 'web' } });
    const entry = { seq: 1, atMs: 0, direction: 'out' as const, origin: '', kind: 'x', ...describeData(raw) };
    const masked = formatEntryBody(entry, { revealCredentials: false });
    expect(masked).not.toContain('abcdef');
    expect(masked).toContain('"memberid": "jsmith"');
    expect(masked).toContain('«masked, 6 chars»');
    expect(formatEntryBody(entry, { revealCredentials: true })).toContain('"memberHash": "abcdef"');
  });

  it('masks credentials in text that is not valid JSON too', () => {
    const entry = { seq: 1, atMs: 0, direction: 'ignored' as const, origin: '', kind: 'x', raw: '{"memberHash":"abcdef", oops' };
    expect(formatEntryBody(entry, { revealCredentials: false })).not.toContain('abcdef');
  });

  it('describes data that is not a string', () => {
    expect(describeData({ a: 1 })).toEqual({ raw: '(object, not a string) {"a":1}' });
    expect(describeData('nope')).toEqual({ raw: 'nope' });
  });
});
