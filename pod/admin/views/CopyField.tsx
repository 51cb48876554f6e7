import { useRef, useState } from 'preact/hooks';
import { copyText } from '../copy-text.ts';

/** A read-only value with a copy button; when copying is blocked the text is selected instead. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  const input = useRef<HTMLInputElement>(null);
  const id = `copy-${testId}`;
  const copy = async () => {
    const ok = await copyText(value);
    setState(ok ? 'copied' : 'select');
    if (!ok) input.current?.select();
    setTimeout(() => setState('idle'), 2500);
  };
  return (
    <div class="copy-field">
      <label for={id}>{label}</label>
      <div class="row">
        <input id={id} ref={input} readOnly value={value} data-testid={testId} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <button type="button" onClick={copy} data-testid={`${testId}-copy`} aria-label={`Copy ${label}`}>
          {state === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span class="muted" role="status">
        {state === 'select' ? 'Copying is blocked here: the text is selected, press Ctrl+C (⌘C).' : ''}
      </span>
    </div>
  );
}
