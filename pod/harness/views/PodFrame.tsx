import { useLayoutEffect, useRef } from 'preact/hooks';
import { POD_FRAME_NAME, type HarnessController } from '../host/harness-controller.ts';

/** ConnectWise's pod width in the ticket screen's pod column (approximate); height is the setup row's Pod Height. */
export const POD_WIDTH_PX = 400;
export const POD_HEIGHT_PX = 900;

function Frame({ src, controller }: { src: string; controller: HarnessController }) {
  const ref = useRef<HTMLIFrameElement>(null);
  // A layout effect attaches the window before the pod can possibly send "ready".
  useLayoutEffect(() => {
    const win = ref.current?.contentWindow ?? null;
    if (win === null) return;
    controller.attachFrame(win);
    return () => controller.detachFrame(win);
  }, [controller]);
  return (
    <iframe
      ref={ref}
      data-testid="pod-frame"
      class="hx-pod-frame"
      name={POD_FRAME_NAME}
      title="Pod"
      src={src}
      width={POD_WIDTH_PX}
      height={POD_HEIGHT_PX}
    />
  );
}

export function PodFrame({ controller }: { controller: HarnessController }) {
  const url = controller.podUrl.value;
  const generation = controller.frameGeneration.value;
  return (
    <div class="hx-pod">
      <div class="hx-pod-title">Pod</div>
      {url.ok ? (
        // A new key is a new iframe element: a reload, like ConnectWise opening the screen.
        <Frame key={`${generation}:${url.url}`} src={url.url} controller={controller} />
      ) : (
        <div class="hx-pod-error" role="alert" data-testid="pod-url-error">
          {url.error}
        </div>
      )}
    </div>
  );
}
