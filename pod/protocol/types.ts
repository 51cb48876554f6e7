import type { ReadonlySignal } from '@preact/signals';
import type { HostMode } from '../../shared/pod-api.ts';
import type { BeforeSaveAnswer, OpenScreenArgs, ParseFailureCode, ScreenObject } from '../../shared/hosted-api.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';

export type { BeforeSaveAnswer, ScreenObject };

/** How far the handshake got; only ever moves forward. */
export const handshakeSteps = ['idle', 'ready_sent', 'framed', 'authenticated'] as const;
export type HandshakeStatus = (typeof handshakeSteps)[number];

/** The parts of a `message` event the client reads. */
export type MessageEventLike = { readonly data: unknown; readonly origin: string; readonly source: unknown };

/** The subset of `window` the client uses (a fake in tests, `window` in the pod). */
export interface HostWindow {
  readonly parent: { postMessage(message: string, targetOrigin: string): void };
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  setTimeout(handler: () => void, timeout: number): unknown;
}

/** Why an incoming message was dropped. */
export type IgnoreReason =
  | ParseFailureCode
  | 'source_not_parent'
  | 'origin_not_allowed'
  | 'origin_not_pinned'
  | 'event_without_id'
  | 'response_without_id'
  | 'unsolicited_response'
  | 'unexpected_response'
  | 'disposed'
  | 'internal_error';

/** Diagnostics only. Never carries message data, so no memberHash or token can reach a log. */
export type ProtocolLogEntry = {
  level: 'debug' | 'info' | 'warn';
  message: string;
  reason?: IgnoreReason;
  /** The sender's origin (for ignored messages) or the target origin (for sends). */
  origin?: string;
  detail?: string;
};

export type HostedApiClientOptions = {
  win: HostWindow;
  /** The tenant's exact origins: its ConnectWise UI origin, or its Nilear origin. */
  expectedOrigins: readonly string[];
  mode: HostMode;
  log?: (entry: ProtocolLogEntry) => void;
  /** How long requestMemberAuthentication waits for the answer. Default 10 s. */
  authTimeoutMs?: number;
  /** How long an async beforeSave handler may take before the save is refused. Default 5 s. */
  beforeSaveTimeoutMs?: number;
};

export type HostedApiClient = {
  status: ReadonlySignal<HandshakeStatus>;
  frameId: ReadonlySignal<string | null>;
  acceptedOrigin: ReadonlySignal<string | null>;
  /** The latest onLoad screen object. */
  screen: ReadonlySignal<ScreenObject | null>;
  /** Sends {"message":"ready"} to each expected origin. Later calls do nothing. */
  start(): void;
  /** De-duplicated while in flight; rejects with HostedApiTimeoutError after authTimeoutMs. */
  requestMemberAuthentication(): Promise<MemberAuthentication>;
  /** Called on every onLoad with a valid screen object, including repeats for other tickets. */
  onScreen(listener: (screen: ScreenObject) => void): () => void;
  setBeforeSaveHandler(handler: () => BeforeSaveAnswer | Promise<BeforeSaveAnswer>): void;
  openScreen(args: OpenScreenArgs): void;
  refreshScreen(): void;
  setDirty(dirty: boolean): void;
  /** Live counters of incoming messages. */
  readonly stats: { readonly accepted: number; readonly ignored: number };
  dispose(): void;
};
