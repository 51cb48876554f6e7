import { describe, expect, it } from 'vitest';
import { TimeSummary } from '../../../shared/ticket-context.ts';
import { normaliseTime } from '../../../server/ticket-context/normalise-time.ts';
import { CwTimeEntryList } from '../../../server/ticket-context/schemas/time-entries.ts';
import { nullFilled, richTimeEntries } from './cw-fixtures.ts';

describe('normaliseTime', () => {
  it('sums hours, billable hours, the last entry and hours per member', () => {
    const time = normaliseTime(CwTimeEntryList.parse(richTimeEntries));
    expect(TimeSummary.parse(time)).toEqual(time);
    expect(time).toEqual({
      entries: 3,
      actualHours: 2.5,
      billableHours: 0.75,
      lastEntryAt: '2026-03-01T13:00:00Z',
      byMember: [
        { member: 'Ben Wilson', hours: 1.75 },
        { member: 'Jane Smith', hours: 0.75 },
      ],
    });
  });

  it('rounds float sums to two decimals', () => {
    const time = normaliseTime(
      CwTimeEntryList.parse([
        { actualHours: 0.1, billableOption: 'Billable' },
        { actualHours: 0.2, billableOption: 'Billable' },
      ]),
    );
    expect(time.actualHours).toBe(0.3);
    expect(time.billableHours).toBe(0.3);
  });

  it('reads null-filled entries as zero hours by an unknown member', () => {
    const time = normaliseTime(CwTimeEntryList.parse(richTimeEntries.map(nullFilled)));
    expect(TimeSummary.parse(time)).toEqual(time);
    expect(time).toEqual({
      entries: 3,
      actualHours: 0,
      billableHours: 0,
      lastEntryAt: undefined,
      byMember: [{ member: 'Unknown member', hours: 0 }],
    });
  });

  it('gives zeros for a ticket without time', () => {
    expect(normaliseTime([])).toEqual({ entries: 0, actualHours: 0, billableHours: 0, lastEntryAt: undefined, byMember: [] });
  });

  it('keeps two members who share a display name apart', () => {
    const time = normaliseTime(
      CwTimeEntryList.parse([
        { member: { identifier: 'asmith', name: 'A. Smith' }, actualHours: 1 },
        { member: { identifier: 'asmith2', name: 'A. Smith' }, actualHours: 2 },
      ]),
    );
    expect(time.byMember).toEqual([
      { member: 'A. Smith', hours: 2 },
      { member: 'A. Smith', hours: 1 },
    ]);
  });
});
