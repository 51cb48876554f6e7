/**
 * Values for ConnectWise `conditions` (docs/connectwise.md §4.3). Ids are written as digits only
 * and strings in double quotes with `"` and `\` escaped, so no value can change a condition's
 * meaning.
 */

/** A record id: a positive safe integer, written as digits. */
export function conditionId(id: number): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new TypeError(`not a ConnectWise record id: ${String(id)}`);
  return String(id);
}

/** `(1,2,3)` for `in`: each id checked, duplicates dropped. */
export function conditionIdList(ids: readonly number[]): string {
  if (ids.length === 0) throw new TypeError('an "in" list needs at least one id');
  return `(${[...new Set(ids.map(conditionId))].join(',')})`;
}

/** A double-quoted string value. */
export function conditionString(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
