/** Frame ids and event `_id`s: opaque strings, unique per harness page. */
export type IdSource = () => string;

/** ConnectWise's own id format is not documented; random UUIDs make reuse bugs visible. */
export const randomIds: IdSource = () => crypto.randomUUID();

/** Predictable ids for tests and for reading a log side by side. */
export function sequentialIds(prefix = 'id'): IdSource {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}-${n}`;
  };
}
