import * as z from 'zod/mini';
import { buildFrameId, buildHostEvent, buildMemberAuthenticationResponse } from '../../../shared/hosted-api.ts';
import type { LogEntry } from './message-log.ts';

/**
 * "A message from a foreign origin": proves the pod ignores a page that is not its parent.
 * The harness page cannot forge `event.origin`, so a hidden frame loaded from a second
 * origin (the simulator answers on two host names: ConnectWise's and Nilear's) runs this
 * module in the "foreign" role. It posts what an attacker would (a frame id, an `onLoad` for
 * another ticket, forged member credentials) to the pod with the pod's exact origin, listens
 * for any reply, and reports back to the harness, which also checks that the pod never acked
 * the forged event in its own channel.
 */

export const FOREIGN_ROLE = 'foreign';

export type ForeignProbeParams = {
  probeId: string;
  podOrigin: string;
  harnessOrigin: string;
  forgedTicketId: number;
};

/** The foreign frame's URL: the harness page on the other origin, told its role by query. */
export function foreignProbeUrl(foreignOrigin: string, path: string, params: ForeignProbeParams): string {
  const url = new URL(path, foreignOrigin);
  url.search = new URLSearchParams({
    role: FOREIGN_ROLE,
    probe: params.probeId,
    pod: params.podOrigin,
    harness: params.harnessOrigin,
    ticket: String(params.forgedTicketId),
  }).toString();
  return url.href;
}

const Params = z.object({
  role: z.literal(FOREIGN_ROLE),
  probe: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/)),
  pod: z.string().check(z.maxLength(300)),
  harness: z.string().check(z.maxLength(300)),
  ticket: z.pipe(z.string().check(z.regex(/^\d{1,9}$/)), z.transform(Number)),
});

export function readForeignProbeParams(search: string): ForeignProbeParams | null {
  const parsed = Params.safeParse(Object.fromEntries(new URLSearchParams(search)));
  if (!parsed.success) return null;
  const { probe, pod, harness, ticket } = parsed.data;
  return { probeId: probe, podOrigin: pod, harnessOrigin: harness, forgedTicketId: ticket };
}

/** Made-up credentials; they must never be accepted by anything. */
const forgedMember = {
  site: 'https://attacker.example/',
  companyid: 'attacker',
  memberid: 'mallory',
  memberHash: 'Zm9yZ2VkLWhhc2g=',
  memberContext: 'web',
  memberEmail: 'mallory@attacker.example',
  codeBase: 'v4_6_release/',
};

/** What the foreign page posts: everything a pod that trusted any sender would act on. */
export function forgedMessages(params: ForeignProbeParams): string[] {
  return [
    buildFrameId(`forged-frame-${params.probeId}`),
    buildHostEvent({
      event: 'onLoad',
      _id: forgedEventId(params.probeId),
      screenObject: { screen: 'ticket', id: params.forgedTicketId, hostedAs: 'pod' },
    }),
    buildMemberAuthenticationResponse({ _id: `forged-auth-${params.probeId}`, data: forgedMember }),
  ];
}

export function forgedEventId(probeId: string): string {
  return `forged-onload-${probeId}`;
}

export const ForeignReport = z.object({
  harnessForeignProbe: z.string(),
  /** How many frames of the parent page the forged messages were posted to. */
  framesTried: z.int(),
  sent: z.int(),
  /** Messages any frame sent back to the foreign page (a pod that answers a stranger). */
  replies: z.array(z.string().check(z.maxLength(2000))).check(z.maxLength(20)),
});
export type ForeignReport = z.infer<typeof ForeignReport>;

type MessageLike = { source: unknown; data: unknown };
type PostTarget = { postMessage(message: string, targetOrigin: string): void };

/** The bits of `window` the foreign role uses; a cross-origin parent exposes `frames`/`length`. */
export type ForeignWindow = {
  parent: PostTarget & { length: number; [index: number]: unknown };
  self: unknown;
  addEventListener(type: 'message', listener: (event: MessageLike) => void): void;
  setTimeout(fn: () => void, ms: number): unknown;
};

/**
 * Runs inside the foreign frame. The pod is one of the parent's frames; rather than guess
 * which, the forged messages go to every sibling with the pod's exact origin as
 * targetOrigin, so the browser delivers them to the pod only.
 */
export function runForeignSender(win: ForeignWindow, params: ForeignProbeParams, listenMs = 1500): void {
  const replies: string[] = [];
  win.addEventListener('message', (event) => {
    if (event.source === win.parent) return;
    if (replies.length < 20) replies.push(typeof event.data === 'string' ? event.data.slice(0, 2000) : `(${typeof event.data})`);
  });
  const messages = forgedMessages(params);
  let framesTried = 0;
  let sent = 0;
  for (let i = 0; i < win.parent.length; i++) {
    const frame = win.parent[i];
    if (frame === win.self || frame === null || typeof frame !== 'object') continue;
    framesTried += 1;
    for (const message of messages) {
      (frame as PostTarget).postMessage(message, params.podOrigin);
      sent += 1;
    }
  }
  win.setTimeout(() => {
    const report: ForeignReport = { harnessForeignProbe: params.probeId, framesTried, sent, replies };
    win.parent.postMessage(JSON.stringify(report), params.harnessOrigin);
  }, listenMs);
}

export type ProbeVerdict = { ignored: boolean; summary: string };

/**
 * The pod passed when nobody answered the foreign page and the pod did not ack the forged
 * `onLoad` to the harness (the log shows every message the pod sent its real parent).
 */
export function judgeForeignProbe(report: ForeignReport, logSinceStart: readonly LogEntry[]): ProbeVerdict {
  const forgedId = forgedEventId(report.harnessForeignProbe);
  const ackedToHarness = logSinceStart.some((e) => e.raw.includes(forgedId));
  if (report.sent === 0) {
    return { ignored: false, summary: 'nothing was sent: the foreign frame found no sibling frame to post to' };
  }
  if (report.replies.length > 0 || ackedToHarness) {
    const where = [
      report.replies.length > 0 ? `${report.replies.length} repl${report.replies.length === 1 ? 'y' : 'ies'} to the foreign page` : '',
      ackedToHarness ? 'an ack of the forged onLoad to the harness' : '',
    ].filter((s) => s !== '');
    return { ignored: false, summary: `the pod REACTED to a foreign origin: ${where.join(' and ')}` };
  }
  return {
    ignored: true,
    summary: `the pod ignored ${report.sent} forged messages from a foreign origin (no reply, no ack)`,
  };
}

/** Which origin plays "foreign": whichever of the simulator's two origins this page is not on. */
export function pickForeignOrigin(current: string, simulatorOrigin: string, nilearOrigin: string | null): string | null {
  for (const candidate of [nilearOrigin, simulatorOrigin]) {
    if (candidate !== null && candidate !== current) return candidate;
  }
  return null;
}
