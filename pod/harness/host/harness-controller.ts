import * as z from 'zod/mini';
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { HarnessConfig, HarnessMember, HarnessTicket } from '../../../shared/harness-api.ts';
import type { HostMode } from '../../../shared/pod-api.ts';
import { createHostSession, type FrameWindow, type HostSession, type InboundMessage } from './host-session.ts';
import { createMessageLog, describeData, type MessageLog } from './message-log.ts';
import { buildPodUrl, type PodUrl } from './pod-url.ts';
import { memberAuthenticationData, memberDataKinds, type MemberDataKind } from './member-authentication.ts';
import { DEFAULT_STRICTNESS, hostStrictnesses, type HostStrictness } from './tolerance.ts';
import { randomIds, type IdSource } from './ids.ts';
import { applyFaultPreset, CLEAR_FAULTS_ID, type FetchLike } from './faults.ts';
import {
  ForeignReport,
  foreignProbeUrl,
  judgeForeignProbe,
  pickForeignOrigin,
  type ProbeVerdict,
} from './foreign-probe.ts';

/**
 * The harness's state and actions, free of the DOM so node tests can drive it: which
 * company, member, ticket and host mode the simulated ConnectWise screen shows, which URL
 * the pod frame has, and the Hosted API session with the pod. Views only read its signals
 * and call its actions.
 */

export type HarnessLocation = { origin: string; pathname: string; search: string };

/** A created foreign frame: its window (to recognise its report) and how to remove it. */
export type ForeignFrame = { window: unknown; remove(): void };

export type ProbeState =
  | { status: 'idle' }
  | { status: 'running'; origin: string }
  | { status: 'done'; verdict: ProbeVerdict }
  | { status: 'failed'; error: string };

export type FaultState = { status: 'idle' | 'applying' } | { status: 'applied'; presetId: string } | { status: 'failed'; error: string };

export type HarnessControllerOptions = {
  config: HarnessConfig;
  location: HarnessLocation;
  fetch: FetchLike;
  /** Loads another URL in the top window (Nilear lives on another origin). */
  navigate: (url: string) => void;
  now: () => number;
  newId?: IdSource;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  beforeSaveTimeoutMs?: number;
  foreignProbeTimeoutMs?: number;
};

const QueryState = z.object({
  mode: z.optional(z.enum(['connectwise', 'nilear'])),
  company: z.optional(z.string().check(z.maxLength(100))),
  member: z.optional(z.string().check(z.maxLength(100))),
  ticket: z.optional(z.string().check(z.regex(/^\d{1,10}$/))),
  /** How forgiving the simulated ConnectWise is (tolerance.ts). */
  strictness: z.optional(z.enum(hostStrictnesses)),
  /** Which getmemberauthentication data the member's ConnectWise sends (member-authentication.ts). */
  memberData: z.optional(z.enum(memberDataKinds)),
});

/** The pod frame's name, so a foreign page can find the pod among the parent's frames. */
export const POD_FRAME_NAME = 'cw-pod';

const sameCompany = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Which member option is chosen. The simulator offers the same identifier twice (a genuine
 * and a forged hash), so the identifier alone cannot say which.
 */
export function memberKey(member: Pick<HarnessMember, 'identifier' | 'valid'>): string {
  return member.valid ? member.identifier : `${member.identifier}~forged`;
}

export function createHarnessController(options: HarnessControllerOptions) {
  const { config } = options;
  const newId = options.newId ?? randomIds;
  const setTimer = options.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clearTimer = options.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  const log: MessageLog = createMessageLog({ now: options.now });

  const query = QueryState.safeParse(Object.fromEntries(new URLSearchParams(options.location.search)));
  const initial = query.success ? query.data : {};
  const onNilearOrigin = config.nilearOrigin !== null && options.location.origin === config.nilearOrigin
    && config.nilearOrigin !== config.simulatorOrigin;

  const companyId = signal(initial.company ?? config.defaultCompanyId);
  const mode = signal<HostMode>(initial.mode ?? (onNilearOrigin ? 'nilear' : 'connectwise'));
  const strictness = signal<HostStrictness>(initial.strictness ?? DEFAULT_STRICTNESS);
  const memberData = signal<MemberDataKind>(initial.memberData ?? 'complete');
  const members = computed(() => config.members.filter((m) => sameCompany(m.companyId, companyId.value)));
  const tickets = computed(() => config.tickets.filter((t) => sameCompany(t.companyId, companyId.value)));
  /** The chosen member's {@link memberKey}. */
  const memberId = signal(initial.member ?? (members.value[0] ? memberKey(members.value[0]) : ''));
  const ticketId = signal<number>(initial.ticket !== undefined ? Number(initial.ticket) : (tickets.value[0]?.id ?? 1));
  const member = computed<HarnessMember | null>(() => members.value.find((m) => memberKey(m) === memberId.value) ?? null);
  const ticket = computed<HarnessTicket | null>(() => tickets.value.find((t) => t.id === ticketId.value) ?? null);
  const instance = computed(() => config.instances.find((i) => sameCompany(i.companyId, companyId.value)) ?? null);

  const defaultTemplate = (company: string) =>
    config.defaultPodUrl.replace(
      `/connectwiseiframe/${encodeURIComponent(config.defaultCompanyId)}`,
      `/connectwiseiframe/${encodeURIComponent(company)}`,
    );
  /** The setup row's URL, tokens and all; a developer may point it at any pod. */
  const podUrlTemplate = signal(defaultTemplate(companyId.value));
  const podUrlEdited = signal(false);
  /** ConnectWise substitutes tokens when it frames the pod, not when the ticket changes. */
  const loadedTicketId = signal(ticketId.value);
  /** Bumped to give the pod a new iframe element (a reload, as ConnectWise opening the screen). */
  const frameGeneration = signal(1);
  const podUrl = computed<PodUrl>(() =>
    buildPodUrl({
      template: podUrlTemplate.value,
      ticketId: loadedTicketId.value,
      nilear: mode.value === 'nilear',
      base: options.location.origin,
    }),
  );
  const podOrigin = computed(() => (podUrl.value.ok ? podUrl.value.origin : null));

  let frame: FrameWindow | null = null;
  const probes = new Map<string, { window: unknown; origin: string; fromSeq: number; timer: unknown; remove(): void }>();
  const probe = signal<ProbeState>({ status: 'idle' });
  const fault = signal<FaultState>({ status: 'idle' });
  const notice = signal<string | null>(null);

  const session: HostSession = createHostSession({
    frame: () => frame,
    podOrigin: () => podOrigin.value,
    mode: () => mode.value,
    strictness: () => strictness.value,
    memberAuthentication: () => {
      const m = member.value;
      return memberAuthenticationData({
        member: {
          identifier: m?.identifier ?? memberId.value,
          name: m?.name ?? memberId.value,
          email: m?.email ?? '',
          memberHash: m?.memberHash ?? 'no-member-selected',
          memberContext: m?.memberContext ?? '',
        },
        companyId: companyId.value,
        site: `${options.location.origin}/`,
        mode: mode.value,
        codeBase: instance.value?.codebase ?? config.codebase,
        kind: memberData.value,
      });
    },
    screen: () => ({ screen: 'ticket', id: ticketId.value, hostedAs: 'pod' }),
    log,
    now: options.now,
    newId,
    ...(options.beforeSaveTimeoutMs !== undefined ? { beforeSaveTimeoutMs: options.beforeSaveTimeoutMs } : {}),
    setTimeout: setTimer,
    clearTimeout: clearTimer,
    onOpenScreen: (request) => {
      if (request.id === null) {
        // ConnectWise's client passes an empty id on; what ConnectWise then shows is unconfirmed.
        notice.value = `The pod asked ConnectWise to open ${request.screen} with an empty id. ConnectWise's client passes it on; ConnectWise would most likely open an empty (new) ${request.screen} screen${request.newTab ? ' in a new tab' : ''} (unconfirmed). The harness stays on ticket #${ticketId.value}.`;
        return;
      }
      if (request.screen.toLowerCase() === 'ticket' && !request.newTab) {
        notice.value = `The pod opened ticket #${request.id}: ConnectWise shows it and fires onLoad in the same pod.`;
        selectTicket(request.id);
      } else {
        notice.value = `The pod asked ConnectWise to open ${request.screen} #${request.id}${request.newTab ? ' in a new tab' : ''}; the harness only shows one ticket screen.`;
      }
    },
    onRefreshScreen: () => {
      notice.value = 'The pod asked ConnectWise to refresh the screen: the harness re-sends onLoad.';
      if (session.frameId.value !== null) session.sendOnLoad();
    },
    otherSource: (message) => handleProbeReport(message),
  });

  function reloadPod(): void {
    batch(() => {
      loadedTicketId.value = ticketId.value;
      frameGeneration.value += 1;
    });
  }

  /** The view created a new pod iframe element: a new frame id, nothing pending. */
  function attachFrame(win: FrameWindow): void {
    if (win === frame) return;
    frame = win;
    session.frameReplaced();
    log.add({ direction: 'note', origin: podOrigin.value ?? '', kind: 'frame', raw: `framing ${podUrl.value.ok ? podUrl.value.url : '(invalid URL)'}` });
  }

  /** The view removed an iframe; ignored when a newer one is already attached. */
  function detachFrame(win: FrameWindow): void {
    if (win !== frame) return;
    frame = null;
    session.frameReplaced();
  }

  /** Like ConnectWise opening another ticket in the same screen: onLoad, no reload. */
  function selectTicket(id: number): void {
    if (!Number.isSafeInteger(id) || id < 1) return;
    ticketId.value = id;
    if (session.frameId.value !== null) session.sendOnLoad();
  }

  function selectMember(key: string): void {
    if (key === memberId.value) return;
    memberId.value = key;
    // Another member is another ConnectWise login: the screen, and the pod, load afresh.
    reloadPod();
  }

  function selectCompany(company: string): void {
    if (sameCompany(company, companyId.value)) return;
    batch(() => {
      companyId.value = company;
      memberId.value = members.value[0] ? memberKey(members.value[0]) : '';
      ticketId.value = tickets.value[0]?.id ?? ticketId.value;
      if (!podUrlEdited.value) podUrlTemplate.value = defaultTemplate(company);
      reloadPod();
    });
  }

  function setPodUrlTemplate(template: string): void {
    batch(() => {
      podUrlTemplate.value = template;
      podUrlEdited.value = template !== defaultTemplate(companyId.value);
      reloadPod();
    });
  }

  /** Where the page must go to play `next`, or null when it can switch in place. */
  function modeSwitchUrl(next: HostMode): string | null {
    const target = next === 'nilear' ? config.nilearOrigin : config.simulatorOrigin;
    if (target === null || target === options.location.origin) return null;
    const url = new URL(options.location.pathname, target);
    url.search = new URLSearchParams({
      mode: next,
      company: companyId.value,
      member: memberId.value,
      ticket: String(ticketId.value),
      strictness: strictness.value,
      memberData: memberData.value,
    }).toString();
    return url.href;
  }

  function selectMode(next: HostMode): void {
    if (next === mode.value) return;
    const away = modeSwitchUrl(next);
    if (away !== null) {
      log.add({ direction: 'note', origin: '', kind: 'mode', raw: `switching to ${next}: reloading the harness at ${new URL(away).origin}` });
      options.navigate(away);
      return;
    }
    batch(() => {
      mode.value = next;
      reloadPod();
    });
  }

  function selectStrictness(next: HostStrictness): void {
    if (next === strictness.value) return;
    strictness.value = next;
    log.add({
      direction: 'note',
      origin: '',
      kind: 'mode',
      raw:
        next === 'tolerant'
          ? 'tolerant: the harness now forgives what ConnectWise\'s own client passes on (logged as "forgave")'
          : 'strict: the harness now drops anything outside the narrowest reading of the protocol (logged as "forgave")',
    });
  }

  function selectMemberData(next: MemberDataKind): void {
    if (next === memberData.value) return;
    memberData.value = next;
    // The data comes with a sign-in: the pod loads afresh and asks again.
    reloadPod();
  }

  async function applyFault(presetId: string): Promise<void> {
    const preset = presetId === CLEAR_FAULTS_ID ? null : (config.faultPresets.find((p) => p.id === presetId) ?? null);
    if (presetId !== CLEAR_FAULTS_ID && preset === null) {
      fault.value = { status: 'failed', error: `unknown fault preset "${presetId}"` };
      return;
    }
    fault.value = { status: 'applying' };
    const result = await applyFaultPreset(options.fetch, preset);
    fault.value = result.ok ? { status: 'applied', presetId } : { status: 'failed', error: result.error };
    log.add({
      direction: 'note',
      origin: options.location.origin,
      kind: 'fault',
      raw: result.ok ? `simulated ConnectWise faults: ${preset === null ? 'cleared' : preset.label}` : result.error,
    });
  }

  function startForeignProbe(createFrame: (url: string) => ForeignFrame): void {
    const origin = pickForeignOrigin(options.location.origin, config.simulatorOrigin, config.nilearOrigin);
    const target = podOrigin.value;
    if (origin === null || target === null) {
      probe.value = {
        status: 'failed',
        error: origin === null ? 'the simulator names no second origin to send from' : 'the pod URL is not valid',
      };
      return;
    }
    const probeId = newId().replace(/[^A-Za-z0-9-]/g, '').slice(0, 64) || 'probe';
    const url = foreignProbeUrl(origin, options.location.pathname, {
      probeId,
      podOrigin: target,
      harnessOrigin: options.location.origin,
      forgedTicketId: 999_999,
    });
    const fromSeq = (log.entries.value.at(-1)?.seq ?? 0) + 1;
    log.add({ direction: 'note', origin, kind: 'foreign probe', raw: `a page on ${origin} posts forged messages to the pod` });
    const created = createFrame(url);
    const timer = setTimer(() => {
      if (!probes.has(probeId)) return;
      finishProbe(probeId);
      probe.value = {
        status: 'failed',
        error: `no report from ${origin} within ${options.foreignProbeTimeoutMs ?? 6000} ms (is the harness served and frameable there?)`,
      };
      log.add({ direction: 'note', origin, kind: 'foreign probe', raw: 'no report from the foreign page' });
    }, options.foreignProbeTimeoutMs ?? 6000);
    probes.set(probeId, { window: created.window, origin, fromSeq, timer, remove: created.remove });
    probe.value = { status: 'running', origin };
  }

  function finishProbe(probeId: string): void {
    const entry = probes.get(probeId);
    if (entry === undefined) return;
    clearTimer(entry.timer);
    entry.remove();
    probes.delete(probeId);
  }

  /** Accepts a report only from a probe frame this harness created, on the origin it loaded. */
  function handleProbeReport(message: InboundMessage): boolean {
    for (const [probeId, entry] of probes) {
      if (message.source !== entry.window) continue;
      if (message.origin !== entry.origin || typeof message.data !== 'string') return false;
      let report: ForeignReport;
      try {
        const parsed = ForeignReport.safeParse(JSON.parse(message.data));
        if (!parsed.success || parsed.data.harnessForeignProbe !== probeId) return false;
        report = parsed.data;
      } catch {
        return false;
      }
      log.add({ direction: 'in', origin: message.origin, kind: 'foreign probe report', ...describeData(message.data) });
      const since = log.entries.value.filter((e) => e.seq >= entry.fromSeq && e.direction !== 'note' && e.kind !== 'foreign probe report');
      const verdict = judgeForeignProbe(report, since);
      log.add({ direction: 'note', origin: message.origin, kind: 'foreign probe', raw: verdict.summary });
      probe.value = { status: 'done', verdict };
      finishProbe(probeId);
      return true;
    }
    return false;
  }

  return {
    config,
    log,
    session,
    companyId: companyId as ReadonlySignal<string>,
    mode: mode as ReadonlySignal<HostMode>,
    strictness: strictness as ReadonlySignal<HostStrictness>,
    memberData: memberData as ReadonlySignal<MemberDataKind>,
    members,
    tickets,
    memberId: memberId as ReadonlySignal<string>,
    member,
    ticketId: ticketId as ReadonlySignal<number>,
    ticket,
    instance,
    podUrlTemplate: podUrlTemplate as ReadonlySignal<string>,
    podUrl,
    podOrigin,
    frameGeneration: frameGeneration as ReadonlySignal<number>,
    probe: probe as ReadonlySignal<ProbeState>,
    fault: fault as ReadonlySignal<FaultState>,
    notice: notice as ReadonlySignal<string | null>,
    attachFrame,
    detachFrame,
    handleMessage: (message: InboundMessage) => session.handleMessage(message),
    selectTicket,
    selectMember,
    selectCompany,
    selectMode,
    selectStrictness,
    selectMemberData,
    modeSwitchUrl,
    setPodUrlTemplate,
    reloadPod,
    sendBeforeSave: () => session.sendBeforeSave(),
    applyFault,
    startForeignProbe,
    dismissNotice: () => {
      notice.value = null;
    },
    dispose() {
      for (const id of [...probes.keys()]) finishProbe(id);
      session.dispose();
    },
  };
}

export type HarnessController = ReturnType<typeof createHarnessController>;
