import type { IdentifiedRef, Ref } from '../../shared/ticket-context.ts';
import type { CwIdentifiedRef, CwRef } from './schemas/common.ts';

/** ConnectWise's null, a missing field and a blank string all render as "absent". */
export function present(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value.trim() === '' ? undefined : value;
}

export function optional<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** A `{id, name}` reference, or absent when ConnectWise sent none (or one without an id). */
export function ref(value: CwRef | null | undefined): Ref | undefined {
  if (typeof value?.id !== 'number') return undefined;
  return { id: value.id, name: present(value.name) };
}

/** A member or company reference; kept when it has anything to show. */
export function identifiedRef(value: CwIdentifiedRef | null | undefined): IdentifiedRef | undefined {
  if (value === null || value === undefined) return undefined;
  const out: IdentifiedRef = {
    id: optional(value.id),
    identifier: present(value.identifier),
    name: present(value.name),
  };
  return out.id === undefined && out.identifier === undefined && out.name === undefined ? undefined : out;
}

/** Milliseconds since the epoch, or undefined for a missing or unreadable date. */
export function timeOf(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Newest first; records without a readable date go last, ties by descending id. */
export function newestFirst<T extends { id: number }>(items: T[], dateOf: (item: T) => string | undefined): T[] {
  return items
    .map((item) => ({ item, at: timeOf(dateOf(item)) }))
    .sort((a, b) => {
      if (a.at !== b.at) {
        if (a.at === undefined) return 1;
        if (b.at === undefined) return -1;
        return b.at - a.at;
      }
      return b.item.id - a.item.id;
    })
    .map(({ item }) => item);
}

/** Hours summed from floats: two decimals, so 0.1 + 0.2 shows as 0.3. */
export function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100;
}
