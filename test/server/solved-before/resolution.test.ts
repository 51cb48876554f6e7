import { describe, expect, it } from 'vitest';
import type { Note } from '../../../shared/ticket-context.ts';
import { pickResolution, RESOLUTION_MAX_CHARS, trimText } from '../../../server/solved-before/resolution.ts';

const note = (id: number, text: string, createdAt: string, resolution = false): Note => ({
  id,
  kind: 'ticket',
  text,
  internal: false,
  external: true,
  resolution,
  detailDescription: false,
  internalAnalysis: false,
  author: 'Jane Smith',
  createdAt,
});

describe('pickResolution', () => {
  it('takes the newest note flagged as resolution, whatever order the notes come in', () => {
    const picked = pickResolution([
      note(3, 'Follow-up call booked.', '2026-03-05T10:00:00Z'),
      note(2, 'Replaced the cable.', '2026-03-04T10:00:00Z', true),
      note(1, 'Printer offline.', '2026-03-01T10:00:00Z'),
    ]);
    expect(picked).toEqual({ text: 'Replaced the cable.', flagged: true, trimmed: false, author: 'Jane Smith' });
  });

  it('falls back to the last note when none is flagged, and to nothing when no note has text', () => {
    expect(pickResolution([note(2, 'Rebooted the AP.', '2026-03-04T10:00:00Z'), note(1, 'Wi-Fi drops.', '2026-03-01T10:00:00Z')])).toMatchObject({
      text: 'Rebooted the AP.',
      flagged: false,
    });
    expect(pickResolution([note(1, '   ', '2026-03-01T10:00:00Z')])).toBeNull();
  });
});

describe('trimText', () => {
  it('cuts long text at a word and marks it', () => {
    const long = 'word '.repeat(300);
    const { text, trimmed } = trimText(long);
    expect(trimmed).toBe(true);
    expect(text.length).toBeLessThanOrEqual(RESOLUTION_MAX_CHARS + 1);
    expect(text.endsWith('word…')).toBe(true);
    expect(trimText('short')).toEqual({ text: 'short', trimmed: false });
  });
});
