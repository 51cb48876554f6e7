import type { PodStep } from '../app/pod-state.ts';
import { stepText } from './failure-text.ts';
import { StateMessage } from './state-message.tsx';

const order: PodStep[] = ['waiting', 'framed', 'verifying', 'loading'];

export function ConnectingScreen({ step }: { step: PodStep }) {
  const reached = order.indexOf(step);
  return (
    <StateMessage title="Connecting to ConnectWise…">
      <ol class="steps" aria-label="Connection steps">
        {order.map((name, index) => (
          <li
            key={name}
            class={index < reached ? 'step-done' : index === reached ? 'step-current' : 'step-todo'}
            aria-current={index === reached ? 'step' : undefined}
          >
            {stepText[name]}
          </li>
        ))}
      </ol>
    </StateMessage>
  );
}
