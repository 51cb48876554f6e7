import { useEffect, useState } from 'preact/hooks';
import { copyText } from '../admin/copy-text.ts';

interface CopyButtonProps {
  text: string;
  /** What is copied, for the accessible name: "phone number", "ticket number"… */
  what: string;
}

/**
 * A small copy control. Inside ConnectWise's cross-origin frame the Clipboard API is usually
 * blocked (no clipboard-write permission is delegated), so copyText falls back to
 * execCommand('copy'), which works on a user click. The result is announced politely.
 */
export function CopyButton({ text, what }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <>
      <button
        type="button"
        class="copy-button"
        data-testid="copy-button"
        aria-label={`Copy ${what} ${text}`}
        title={`Copy ${what}`}
        onClick={() => void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'))}
      >
        <span aria-hidden="true">{state === 'copied' ? '✓' : '⧉'}</span>
      </button>
      <span class="visually-hidden" role="status">
        {state === 'copied' ? `Copied ${what}` : state === 'failed' ? `Could not copy the ${what}; select it instead` : ''}
      </span>
    </>
  );
}
