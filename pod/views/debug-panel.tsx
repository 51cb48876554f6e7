import { useEffect, useState } from 'preact/hooks';
import type { PodHost } from '../app/pod-host.ts';
import type { PodState, UrlTicket } from '../app/pod-state.ts';
import { FieldList } from './field-list.tsx';
import { formatDateTime } from './format.ts';

interface DebugPanelProps {
  host: Pick<PodHost, 'status' | 'frameId' | 'acceptedOrigin' | 'stats'>;
  state: PodState;
}

const urlTicketText: Record<Exclude<UrlTicket['kind'], 'id'>, string> = {
  not_substituted: 'not substituted (literal [cw_id]): the setup URL or the screen lacks it',
  missing: 'absent from the pod URL',
  invalid: 'not a ticket id',
};

/** For admins troubleshooting a pod that will not load. Shows no secret: no token, no member hash. */
export function DebugPanel({ host, state }: DebugPanelProps) {
  const [open, setOpen] = useState(false);
  const [, setTick] = useState(0);
  // Message counters are plain numbers on the protocol client: re-read them while open.
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [open]);
  const session = state.session.value;
  const context = state.context.value;
  const urlTicket = state.debug.urlTicket;
  return (
    <details
      class="debug-panel"
      data-testid="debug-panel"
      onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Diagnostics</summary>
      {open && (
        <FieldList
          fields={[
            ['Host mode', state.debug.mode === 'nilear' ? 'Nilear MTX' : 'ConnectWise PSA'],
            ['Accepted origin', host.acceptedOrigin.value ?? 'none yet'],
            ['Frame id', host.frameId.value ?? 'not received'],
            ['Handshake', host.status.value],
            ['Step', state.step.value],
            ['URL ticket id', urlTicket.kind === 'id' ? String(urlTicket.id) : urlTicketText[urlTicket.kind]],
            ['URL screen', state.debug.urlScreen ?? 'not given'],
            ['Ticket', String(state.ticketId.value ?? 'none')],
            ['Messages', `${host.stats.accepted} accepted, ${host.stats.ignored} ignored`],
            ['Member', session ? `${session.member.identifier} (session until ${formatDateTime(session.expiresAt)})` : 'not verified'],
            ['Data', context && `fetched ${formatDateTime(context.meta.fetchedAt)}${context.meta.fromCache ? ' (server cache)' : ''}`],
          ]}
        />
      )}
    </details>
  );
}
