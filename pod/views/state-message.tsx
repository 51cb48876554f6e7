import type { ComponentChildren } from 'preact';

interface StateMessageProps {
  title: string;
  tone?: 'info' | 'error';
  children?: ComponentChildren;
}

/** The one-message screens (connecting, failures, outside ConnectWise…), always `pod-state`. */
export function StateMessage({ title, tone = 'info', children }: StateMessageProps) {
  return (
    <div
      class={`pod-state pod-state-${tone}`}
      data-testid="pod-state"
      role={tone === 'error' ? 'alert' : 'status'}
      aria-live="polite"
    >
      <h1 class="pod-state-title">{title}</h1>
      {children}
    </div>
  );
}
