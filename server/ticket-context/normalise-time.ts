import type { TimeSummary } from '../../shared/ticket-context.ts';
import type { CwTimeEntry } from './schemas/time-entries.ts';
import { present, roundHours, timeOf } from './normalise-common.ts';

function memberLabel(entry: CwTimeEntry): string {
  return present(entry.member?.name) ?? present(entry.member?.identifier) ?? 'Unknown member';
}

/**
 * The ticket's time entries summed: hours in all, billable hours (`billableOption`
 * "Billable"), the latest entry and hours per member (most hours first).
 */
export function normaliseTime(entries: readonly CwTimeEntry[]): TimeSummary {
  let actual = 0;
  let billable = 0;
  let last: { at: number; iso: string } | undefined;
  const byMember = new Map<string, { member: string; hours: number }>();
  for (const entry of entries) {
    const hours = entry.actualHours ?? 0;
    actual += hours;
    if (entry.billableOption === 'Billable') billable += hours;
    const iso = present(entry.timeStart) ?? present(entry.dateEntered) ?? present(entry._info?.dateEntered);
    const at = timeOf(iso);
    if (iso !== undefined && at !== undefined && (last === undefined || at > last.at)) last = { at, iso };
    // Grouped by identifier when there is one: two members may share a display name.
    const key = present(entry.member?.identifier) ?? memberLabel(entry);
    const row = byMember.get(key) ?? { member: memberLabel(entry), hours: 0 };
    row.hours += hours;
    byMember.set(key, row);
  }
  return {
    entries: entries.length,
    actualHours: roundHours(actual),
    billableHours: roundHours(billable),
    lastEntryAt: last?.iso,
    byMember: [...byMember.values()]
      .map((r) => ({ member: r.member, hours: roundHours(r.hours) }))
      .sort((a, b) => b.hours - a.hours || a.member.localeCompare(b.member)),
  };
}
