import { useEffect, useState } from 'preact/hooks';
import { copyText } from '../admin/copy-text.ts';

interface CopyButtonProps {
  text: string;
  /** What is copied, for the accessible name: "phone number", "ticket number"… */
  what: string;
}

/**
 * Two overlapping sheets, drawn rather than typed: the "⧉" character is missing from common
 * fonts (it showed as an empty box on Debian's default fonts).
 */
function CopyIcon() {
  return (
    <svg aria-hidden="true" width="11" height="11" viewBox="0 0 12 12" fill="none" stroke="currentColor" stroke-width="1.3">
      <rect x="4" y="4" width="7" height="7" rx="1" />
      <path d="M8 4V2a1 1 0 0 0-1-1H2a1 1 0 0 0-1 1v5a1 1 0 0 0 1 1h2" />
    </svg>
  );
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
        {state === 'copied' ? <span aria-hidden="true">✓</span> : <CopyIcon />}
      </button>
      <span class="visually-hidden" role="status">
        {state === 'copied' ? `Copied ${what}` : state === 'failed' ? `Could not copy the ${what}; select it instead` : ''}
      </span>
    </>
  );
}
