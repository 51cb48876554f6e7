import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { filterEntries, formatEntryBody, type LogDirection, type MessageLog } from '../host/message-log.ts';

const DIRECTIONS: { value: LogDirection; label: string }[] = [
  { value: 'out', label: '→ to pod' },
  { value: 'in', label: '← from pod' },
  { value: 'ignored', label: 'ignored' },
  { value: 'note', label: 'notes' },
];

const ARROWS: Record<LogDirection, string> = { out: '→', in: '←', ignored: '✕', note: '•' };

/** Every message both ways, newest last, with a text filter and per-direction toggles. */
export function MessageLogView({ log }: { log: MessageLog }) {
  const text = useSignal('');
  const directions = useSignal<ReadonlySet<LogDirection>>(new Set(DIRECTIONS.map((d) => d.value)));
  const reveal = useSignal(false);
  const follow = useSignal(true);
  const list = useRef<HTMLOListElement>(null);
  const all = log.entries.value;
  const shown = filterEntries(all, { text: text.value, directions: directions.value });

  useEffect(() => {
    if (follow.value && list.current !== null) list.current.scrollTop = list.current.scrollHeight;
  }, [shown.length, follow.value]);

  const toggle = (d: LogDirection) => {
    const next = new Set(directions.value);
    if (next.has(d)) next.delete(d);
    else next.add(d);
    directions.value = next;
  };

  return (
    <section class="hx-panel hx-log" aria-label="Message log">
      <div class="hx-log-bar">
        <h2>Messages</h2>
        <input
          type="search"
          data-testid="log-filter"
          placeholder="Filter (kind, origin, text)"
          value={text.value}
          onInput={(e) => (text.value = e.currentTarget.value)}
        />
        {DIRECTIONS.map((d) => (
          <label key={d.value} class="hx-check">
            <input
              type="checkbox"
              data-testid={`log-show-${d.value}`}
              checked={directions.value.has(d.value)}
              onChange={() => toggle(d.value)}
            />
            {d.label}
          </label>
        ))}
        <label class="hx-check">
          <input type="checkbox" data-testid="log-reveal" checked={reveal.value} onChange={() => (reveal.value = !reveal.value)} />
          show credentials
        </label>
        <label class="hx-check">
          <input type="checkbox" checked={follow.value} onChange={() => (follow.value = !follow.value)} />
          follow
        </label>
        <span class="hx-muted" data-testid="log-count">
          {shown.length} of {all.length}
        </span>
        <button type="button" data-testid="log-clear" onClick={() => log.clear()}>
          Clear
        </button>
      </div>
      <ol class="hx-log-list" data-testid="message-log" ref={list}>
        {shown.map((e) => (
          <li key={e.seq} class={`hx-entry hx-entry-${e.direction}`} data-testid="log-entry" data-direction={e.direction} data-kind={e.kind}>
            <div class="hx-entry-head">
              <span class="hx-time">{e.atMs} ms</span>
              <span class="hx-dir" title={e.direction}>
                {ARROWS[e.direction]} {e.direction}
              </span>
              <span class="hx-kind">{e.kind}</span>
              <span class="hx-origin">{e.origin}</span>
              {e.note !== undefined && <span class="hx-note">{e.note}</span>}
            </div>
            <pre class="hx-entry-body">{formatEntryBody(e, { revealCredentials: reveal.value })}</pre>
          </li>
        ))}
      </ol>
    </section>
  );
}
