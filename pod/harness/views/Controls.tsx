import { useEffect, useState } from 'preact/hooks';
import type { HostMode } from '../../../shared/pod-api.ts';
import { CLEAR_FAULTS_ID } from '../host/faults.ts';
import { memberKey, type ForeignFrame, type HarnessController } from '../host/harness-controller.ts';
import type { MemberDataKind } from '../host/member-authentication.ts';
import type { HostStrictness } from '../host/tolerance.ts';

/** A hidden frame on another origin; removed once it has reported. */
function createHiddenFrame(url: string): ForeignFrame {
  const iframe = document.createElement('iframe');
  iframe.className = 'hx-hidden-frame';
  iframe.title = 'Foreign-origin probe';
  iframe.setAttribute('aria-hidden', 'true');
  iframe.src = url;
  document.body.append(iframe);
  return { window: iframe.contentWindow, remove: () => iframe.remove() };
}

export function Controls({ controller }: { controller: HarnessController }) {
  const { config } = controller;
  const [ticketText, setTicketText] = useState(String(controller.ticketId.value));
  const [urlText, setUrlText] = useState(controller.podUrlTemplate.value);
  const currentTicket = controller.ticketId.value;
  const template = controller.podUrlTemplate.value;
  // The pod can switch the ticket (openScreen), and a company change resets the template.
  useEffect(() => setTicketText(String(currentTicket)), [currentTicket]);
  useEffect(() => setUrlText(template), [template]);

  const openTicket = () => {
    const id = Number(ticketText.trim());
    if (/^\d{1,10}$/.test(ticketText.trim()) && id !== controller.ticketId.value) controller.selectTicket(id);
  };
  const ticketValid = /^\d{1,10}$/.test(ticketText.trim()) && Number(ticketText.trim()) >= 1;
  const fault = controller.fault.value;
  const probe = controller.probe.value;
  const mode = controller.mode.value;
  const nilearAway = controller.modeSwitchUrl(mode === 'nilear' ? 'connectwise' : 'nilear');

  return (
    <section class="hx-panel hx-controls" aria-label="Harness controls">
      <h2>Simulated ConnectWise</h2>

      <label class="hx-field">
        <span>Company</span>
        <select
          data-testid="company-select"
          value={controller.companyId.value}
          onChange={(e) => controller.selectCompany(e.currentTarget.value)}
        >
          {config.instances.map((i) => (
            <option key={i.companyId} value={i.companyId}>
              {i.companyName} ({i.companyId})
            </option>
          ))}
        </select>
      </label>

      <form
        class="hx-field"
        onSubmit={(e) => {
          e.preventDefault();
          openTicket();
        }}
      >
        <label for="hx-ticket">Ticket (fires onLoad, no reload)</label>
        <div class="hx-row">
          <input
            id="hx-ticket"
            data-testid="ticket-input"
            list="hx-demo-tickets"
            inputMode="numeric"
            autoComplete="off"
            value={ticketText}
            aria-invalid={!ticketValid}
            onInput={(e) => setTicketText(e.currentTarget.value)}
            onChange={openTicket}
          />
          <button type="submit" data-testid="open-ticket" disabled={!ticketValid}>
            Open
          </button>
        </div>
        <datalist id="hx-demo-tickets">
          {controller.tickets.value.map((t) => (
            <option key={t.id} value={String(t.id)}>
              {t.summary}
            </option>
          ))}
        </datalist>
      </form>

      <label class="hx-field">
        <span>Member (reloads the pod)</span>
        <select
          data-testid="member-select"
          value={controller.memberId.value}
          onChange={(e) => controller.selectMember(e.currentTarget.value)}
        >
          {controller.members.value.map((m) => (
            <option key={memberKey(m)} value={memberKey(m)}>
              {m.name} ({m.identifier}){m.valid ? '' : ' — forged hash'}
              {m.inactive ? ' — inactive' : ''}
            </option>
          ))}
        </select>
        {controller.member.value !== null && <small>{controller.member.value.note}</small>}
      </label>

      <label class="hx-field">
        <span>Host</span>
        <select
          data-testid="mode-select"
          value={mode}
          onChange={(e) => controller.selectMode(e.currentTarget.value as HostMode)}
        >
          <option value="connectwise">ConnectWise PSA</option>
          <option value="nilear">Nilear MTX</option>
        </select>
        {nilearAway !== null && <small>Switching reloads the harness at {new URL(nilearAway).origin}.</small>}
      </label>

      <label class="hx-field">
        <span>ConnectWise's tolerance</span>
        <select
          data-testid="strictness-select"
          value={controller.strictness.value}
          onChange={(e) => controller.selectStrictness(e.currentTarget.value as HostStrictness)}
        >
          <option value="tolerant">Tolerant (like ConnectWise's own client)</option>
          <option value="strict">Strict (narrowest reading of the protocol)</option>
        </select>
        <small>
          {controller.strictness.value === 'tolerant'
            ? 'Answers requests sent before the frame id, accepts an empty openScreen id and any beforeSave refusal, answers setDirty.'
            : 'Drops all of that. Either way the log shows what was forgiven.'}
        </small>
      </label>

      <label class="hx-field">
        <span>Member data (reloads the pod)</span>
        <select
          data-testid="member-data-select"
          value={controller.memberData.value}
          onChange={(e) => controller.selectMemberData(e.currentTarget.value as MemberDataKind)}
        >
          <option value="complete">Complete</option>
          <option value="nulls">Without SSO or e-mail (null fields)</option>
        </select>
      </label>

      <form
        class="hx-field"
        onSubmit={(e) => {
          e.preventDefault();
          controller.setPodUrlTemplate(urlText);
        }}
      >
        <label for="hx-pod-url">Pod URL ([cw_id], [cw_screen] substituted)</label>
        <input
          id="hx-pod-url"
          data-testid="pod-url"
          type="text"
          spellcheck={false}
          value={urlText}
          onInput={(e) => setUrlText(e.currentTarget.value)}
        />
        <div class="hx-row">
          <button type="submit" data-testid="load-pod-url">
            Load URL
          </button>
          <button type="button" data-testid="reload-pod" onClick={() => controller.reloadPod()}>
            Reload pod
          </button>
        </div>
        <small class="hx-mono" data-testid="pod-src">
          {controller.podUrl.value.ok ? controller.podUrl.value.url : controller.podUrl.value.error}
        </small>
      </form>

      <div class="hx-field">
        <span>Events</span>
        <div class="hx-row">
          <button type="button" data-testid="before-save" onClick={() => void controller.sendBeforeSave()}>
            Send beforeSave
          </button>
          <button type="button" data-testid="send-onload" onClick={() => controller.session.sendOnLoad()}>
            Re-send onLoad
          </button>
        </div>
      </div>

      <div class="hx-field">
        <span>Foreign origin</span>
        <button
          type="button"
          data-testid="foreign-message"
          disabled={probe.status === 'running'}
          onClick={() => controller.startForeignProbe(createHiddenFrame)}
        >
          Message from a foreign origin
        </button>
        <small data-testid="foreign-result" class={probe.status === 'done' && !probe.verdict.ignored ? 'hx-bad' : ''}>
          {probe.status === 'running' && `Posting from ${probe.origin}…`}
          {probe.status === 'done' && probe.verdict.summary}
          {probe.status === 'failed' && probe.error}
        </small>
      </div>

      <label class="hx-field">
        <span>ConnectWise REST faults</span>
        <select
          data-testid="fault-select"
          value={fault.status === 'applied' ? fault.presetId : CLEAR_FAULTS_ID}
          disabled={fault.status === 'applying'}
          onChange={(e) => void controller.applyFault(e.currentTarget.value)}
        >
          <option value={CLEAR_FAULTS_ID}>None (clear faults)</option>
          {config.faultPresets.map((p) => (
            <option key={p.id} value={p.id} title={p.description}>
              {p.label}
            </option>
          ))}
        </select>
        {fault.status === 'failed' && <small class="hx-bad">{fault.error}</small>}
      </label>
    </section>
  );
}
