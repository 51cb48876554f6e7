import type { ComponentChildren } from 'preact';
import type { HarnessController } from '../host/harness-controller.ts';

/** The ticket screen's look: a header strip and a few read-only fields, pods on the right. */
export function TicketScreen({ controller, children }: { controller: HarnessController; children: ComponentChildren }) {
  const ticket = controller.ticket.value;
  const id = controller.ticketId.value;
  const instance = controller.instance.value;
  return (
    <section class="hx-ticket" aria-label="Simulated ConnectWise service ticket">
      <div class="hx-ticket-strip">
        <span class="hx-ticket-kind">Service Ticket</span>
        <span class="hx-ticket-number" data-testid="ticket-number">#{id}</span>
        <span class="hx-ticket-summary" data-testid="ticket-summary">
          {ticket?.summary ?? 'Not a demo ticket: the simulated ConnectWise may answer 404'}
        </span>
        {controller.session.dirty.value === true && <span class="hx-dirty">unsaved changes (setDirty)</span>}
      </div>
      <div class="hx-ticket-body">
        <dl class="hx-ticket-fields">
          <dt>Company</dt>
          <dd>{ticket?.companyName ?? instance?.companyName ?? controller.companyId.value}</dd>
          <dt>Board</dt>
          <dd>{ticket?.boardName ?? '—'}</dd>
          <dt>Status</dt>
          <dd data-testid="harness-ticket-status">
            {ticket === null ? '—' : (ticket.statusName ?? (ticket.closed ? 'Closed' : 'Open'))}
          </dd>
          <dt>Priority</dt>
          <dd data-testid="harness-ticket-priority">{ticket?.priorityName ?? '—'}</dd>
          <dt>Member</dt>
          <dd>{controller.member.value?.name ?? controller.memberId.value}</dd>
          <dt>Screen</dt>
          <dd>
            <code>{`{"screen":"ticket","id":${id},"hostedAs":"pod"}`}</code>
          </dd>
        </dl>
        <p class="hx-ticket-hint">
          Ticket notes, time entries and tabs would be here. The pod column on the right is what ConnectWise frames, at the
          configured Pod Height of 900 px.
        </p>
      </div>
      <div class="hx-pod-column">{children}</div>
    </section>
  );
}
