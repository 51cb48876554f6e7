import { signal, type ReadonlySignal } from '@preact/signals';

/**
 * Every message that crosses the harness/pod boundary, both ways, plus what the harness did
 * with it. Entries keep the raw text as it travelled so a developer sees exactly what the
 * pod sent; the view decides how to pretty-print and whether to mask credentials.
 */
export type LogDirection = 'out' | 'in' | 'ignored' | 'note';

export type LogEntry = {
  seq: number;
  direction: LogDirection;
  /** The sender's origin for incoming messages, the targetOrigin for outgoing ones. */
  origin: string;
  /** Milliseconds since the harness loaded. */
  atMs: number;
  /** A short label: the message kind ("ready", "onLoad", "getMemberAuthentication"…). */
  kind: string;
  /** The message as it travelled (a JSON string), or a description when it was not a string. */
  raw: string;
  /** Parsed JSON when `raw` was JSON, for pretty-printing. */
  json?: unknown;
  /** Why the harness ignored or flagged it, or a plain note. */
  note?: string;
};

export type LogEntryInput = Omit<LogEntry, 'seq' | 'atMs'>;

export type MessageLog = {
  entries: ReadonlySignal<readonly LogEntry[]>;
  add(entry: LogEntryInput): LogEntry;
  clear(): void;
};

/** Keeps memory bounded when a misbehaving pod floods the harness. */
const MAX_ENTRIES = 2000;

export function createMessageLog(options: { now: () => number }): MessageLog {
  const entries = signal<readonly LogEntry[]>([]);
  let seq = 0;
  return {
    entries,
    add(input) {
      seq += 1;
      const entry: LogEntry = { ...input, seq, atMs: Math.round(options.now()) };
      const next = [...entries.value, entry];
      entries.value = next.length > MAX_ENTRIES ? next.slice(next.length - MAX_ENTRIES) : next;
      return entry;
    },
    clear() {
      entries.value = [];
    },
  };
}

/** Turns whatever arrived in `event.data` into log text plus parsed JSON (when it is JSON). */
export function describeData(data: unknown): { raw: string; json?: unknown } {
  if (typeof data !== 'string') {
    let shown: string;
    try {
      shown = JSON.stringify(data) ?? String(data);
    } catch {
      shown = String(data);
    }
    return { raw: `(${data === null ? 'null' : typeof data}, not a string) ${shown}` };
  }
  try {
    return { raw: data, json: JSON.parse(data) as unknown };
  } catch {
    return { raw: data };
  }
}

export type LogFilter = { text: string; directions: ReadonlySet<LogDirection> };

/** Case-insensitive match on kind, origin, note and the message text. */
export function filterEntries(entries: readonly LogEntry[], filter: LogFilter): LogEntry[] {
  const needle = filter.text.trim().toLowerCase();
  return entries.filter((e) => {
    if (!filter.directions.has(e.direction)) return false;
    if (needle === '') return true;
    return [e.kind, e.origin, e.note ?? '', e.raw].some((s) => s.toLowerCase().includes(needle));
  });
}

/** Keys whose values prove who the technician is: masked in the log unless revealed. */
const CREDENTIAL_KEYS = new Set(['memberHash', 'memberContext', 'ssoAccessToken', 'ssoIdToken']);

function mask(value: unknown): unknown {
  if (typeof value !== 'string') return '«masked»';
  return `«masked, ${value.length} chars»`;
}

/** A deep copy with credential values masked, so a screenshot of the log leaks nothing. */
export function maskCredentials(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskCredentials);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, CREDENTIAL_KEYS.has(k) ? mask(v) : maskCredentials(v)]),
    );
  }
  return value;
}

/** The text the log shows for one entry: pretty JSON when possible, raw text otherwise. */
export function formatEntryBody(entry: LogEntry, options: { revealCredentials: boolean }): string {
  if (entry.json === undefined) {
    return options.revealCredentials ? entry.raw : entry.raw.replace(/("(?:memberHash|memberContext|ssoAccessToken|ssoIdToken)"\s*:\s*)"[^"]*"/g, '$1"«masked»"');
  }
  const shown = options.revealCredentials ? entry.json : maskCredentials(entry.json);
  return JSON.stringify(shown, null, 2);
}
