import { useLayoutEffect } from 'preact/hooks';
import type { HarnessController } from '../host/harness-controller.ts';
import { Controls } from './Controls.tsx';
import { MessageLogView } from './MessageLogView.tsx';
import { PodFrame } from './PodFrame.tsx';
import { SessionStatus } from './SessionStatus.tsx';
import { TicketScreen } from './TicketScreen.tsx';

/** A plausible ConnectWise ticket screen around the pod, with the harness's tools beside it. */
export function HarnessApp({ controller }: { controller: HarnessController }) {
  // A layout effect listens before the pod iframe (created in the same commit) can post.
  useLayoutEffect(() => {
    const listener = (event: MessageEvent) =>
      controller.handleMessage({ source: event.source, origin: event.origin, data: event.data });
    window.addEventListener('message', listener);
    return () => {
      window.removeEventListener('message', listener);
      controller.dispose();
    };
  }, [controller]);

  const notice = controller.notice.value;
  return (
    <div class="hx-page">
      <header class="hx-topbar">
        <span class="hx-brand">ConnectWise PSA</span>
        <span class="hx-banner" data-testid="harness-banner">
          Developer harness — simulated ConnectWise
        </span>
        <span class="hx-host-mode">
          Host: {controller.mode.value === 'nilear' ? 'Nilear MTX (simulated)' : 'ConnectWise PSA (simulated)'}
        </span>
      </header>
      {notice !== null && (
        <div class="hx-notice" role="status">
          {notice}
          <button type="button" class="hx-link" onClick={() => controller.dismissNotice()}>
            dismiss
          </button>
        </div>
      )}
      <div class="hx-main">
        <TicketScreen controller={controller}>
          <PodFrame controller={controller} />
        </TicketScreen>
        <aside class="hx-side">
          <Controls controller={controller} />
          <SessionStatus controller={controller} />
        </aside>
      </div>
      <MessageLogView log={controller.log} />
    </div>
  );
}
