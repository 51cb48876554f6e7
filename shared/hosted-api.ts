import * as z from 'zod/mini';
import { MemberAuthentication } from './member-authentication.ts';

/**
 * ConnectWise's Hosted API `postMessage` protocol, both directions (wire formats in
 * docs/connectwise.md §1). Every message is a JSON string. ConnectWise is loose
 * about case and types, so the host → pod schemas are lenient there (screen names
 * lower-cased, ids as numbers or digits, extra keys ignored) and strict about sizes and
 * types. The pod → host schemas are exact: ConnectWise silently drops anything else.
 *
 * The pod's protocol client uses the host → pod parsers and the pod → host builders; the
 * developer harness, playing ConnectWise, uses the other half.
 */

/** Raw message length refused before JSON.parse. The largest real message (member
 * authentication with SSO tokens) is well under half of this. */
export const MAX_MESSAGE_LENGTH = 64 * 1024;
/** ConnectWise record ids are 32-bit signed integers. */
export const MAX_RECORD_ID = 2_147_483_647;
/** Longest reason the pod sends back when it refuses `beforeSave`. */
export const MAX_ERROR_TEXT_LENGTH = 500;

/** `_id` and `MessageFrameID` values: opaque strings chosen by the host. */
const WireId = z.string().check(z.minLength(1), z.maxLength(200));
/** Event and request names, echoed back exactly as received. */
const Name = z.string().check(z.minLength(1), z.maxLength(64));
/** Names ConnectWise sends in varying case; compared lower-cased. */
const LowerName = z.string().check(z.minLength(1), z.maxLength(64), z.toLowerCase());
const ErrorText = z.string().check(z.minLength(1), z.maxLength(MAX_ERROR_TEXT_LENGTH));
const frameIdField = { frameID: z.optional(WireId) };

/** A ConnectWise record id, as a number or a string of digits, coerced to a positive integer. */
export const RecordId = z
  .pipe(
    z.union([z.number(), z.string().check(z.regex(/^\d{1,10}$/, 'a record id is digits only'))]),
    z.transform((v) => Number(v)),
  )
  .check(
    z.refine(
      (n) => Number.isSafeInteger(n) && n >= 1 && n <= MAX_RECORD_ID,
      `a record id is an integer between 1 and ${MAX_RECORD_ID}`,
    ),
  );

// ---------------------------------------------------------------------------------------
// Host → pod

/** `{"MessageFrameID":"…"}`: the host's reply to `ready`. */
export const FrameIdMessage = z.object({ MessageFrameID: WireId });

/** Where the host says the pod is: `{screen:"ticket", id:123, hostedAs:"pod"}`. */
export const ScreenObject = z.object({
  screen: LowerName,
  id: RecordId,
  /** "pod" or "tab"; absent in the readme's `args:{screen,id}` form. */
  hostedAs: z.optional(LowerName),
});
export type ScreenObject = z.output<typeof ScreenObject>;

/**
 * `{"event":"onLoad"|"beforeSave"|…, "_id":"…", "data":{"screenObject":{…}}}`. `data` and
 * `args` are kept unparsed here: a `beforeSave` must be answered even when its screen
 * object is odd, so the screen is parsed on its own (see {@link screenObjectOf}).
 */
export const HostEventMessage = z.object({
  event: Name,
  /** Absent under Nilear. */
  _id: z.optional(WireId),
  data: z.optional(z.unknown()),
  /** The readme's prose form: `args:{screen,id}`. */
  args: z.optional(z.unknown()),
});
export type HostEventMessage = z.output<typeof HostEventMessage>;

/** A response to one of the pod's requests, named lower-case (`getmemberauthentication`). */
export const HostResponseMessage = z.object({
  response: LowerName,
  /** Absent under Nilear. */
  _id: z.optional(WireId),
  data: z.optional(z.unknown()),
});

export const MEMBER_AUTHENTICATION_RESPONSE = 'getmemberauthentication';

/** `{"response":"getmemberauthentication","_id":"…","data":{MemberAuthentication}}`. */
export const MemberAuthenticationResponse = z.object({
  response: z.pipe(LowerName, z.literal(MEMBER_AUTHENTICATION_RESPONSE)),
  _id: z.optional(WireId),
  data: MemberAuthentication,
});

/** The screen object of an event: `data.screenObject`, else the readme's `args`. */
export function screenObjectOf(message: HostEventMessage): ScreenObject | null {
  const data = message.data;
  if (typeof data === 'object' && data !== null && Object.hasOwn(data, 'screenObject')) {
    const parsed = ScreenObject.safeParse((data as { screenObject: unknown }).screenObject);
    if (parsed.success) return parsed.data;
  }
  if (message.args !== undefined) {
    const parsed = ScreenObject.safeParse(message.args);
    if (parsed.success) return parsed.data;
  }
  return null;
}

const ParsedFrameId = z.pipe(
  FrameIdMessage,
  z.transform((m) => ({ type: 'frame_id' as const, frameId: m.MessageFrameID })),
);
const ParsedEvent = z.pipe(
  HostEventMessage,
  z.transform((m) => ({ type: 'event' as const, event: m.event, _id: m._id, screen: screenObjectOf(m) })),
);
const ParsedMemberAuthentication = z.pipe(
  MemberAuthenticationResponse,
  z.transform((m) => ({ type: 'member_authentication' as const, _id: m._id, data: m.data })),
);
/** Any other response: recognised as a response so the client can say it was unexpected. */
const ParsedOtherResponse = z.pipe(
  HostResponseMessage,
  z.transform((m) => ({ type: 'response' as const, response: m.response, _id: m._id })),
);

/** A host → pod message after parsing: what the protocol client acts on. */
export type HostMessage =
  | z.output<typeof ParsedFrameId>
  | z.output<typeof ParsedEvent>
  | z.output<typeof ParsedMemberAuthentication>
  | z.output<typeof ParsedOtherResponse>;

export type ParseFailureCode = 'not_a_string' | 'too_long' | 'not_json' | 'not_an_object' | 'unknown_shape' | 'invalid';
export type ParseFailure = { ok: false; code: ParseFailureCode; reason: string };
export type ParseResult<T> = { ok: true; message: T } | ParseFailure;

// "__proto__" is dropped while parsing. JSON.parse makes it a harmless own key and zod skips
// it, but any later copy by assignment (Object.assign, a hand-written merge of the loose
// member data) would turn it into a prototype.
function dropProtoKeys(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

function decodeJsonObject(raw: unknown): ParseResult<Record<string, unknown>> {
  if (typeof raw !== 'string') return { ok: false, code: 'not_a_string', reason: `expected a JSON string, got ${raw === null ? 'null' : typeof raw}` };
  if (raw.length > MAX_MESSAGE_LENGTH) return { ok: false, code: 'too_long', reason: `message is longer than ${MAX_MESSAGE_LENGTH} characters` };
  let value: unknown;
  try {
    value = JSON.parse(raw, dropProtoKeys);
  } catch {
    return { ok: false, code: 'not_json', reason: 'message is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'not_an_object', reason: 'message is not a JSON object' };
  }
  return { ok: true, message: value as Record<string, unknown> };
}

// Issue paths name only schema keys (unknown keys are stripped, not reported) and zod's
// messages never quote the input, so no value (a memberHash, say) reaches a log.
function describe(what: string, error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return `${what} is invalid`;
  const path = issue.path.map(String).join('.');
  return `${what}${path === '' ? '' : ` ${path}`}: ${explain(issue)}`;
}

// zod/mini ships without locale text ("Invalid input"), so say what was expected here.
function explain(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_big':
      return `too long or too large (at most ${String(issue.maximum)})`;
    case 'too_small':
      return `too short or too small (at least ${String(issue.minimum)})`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union':
      return 'matches none of the allowed shapes';
    default:
      return issue.message;
  }
}

function parseWith<S extends z.core.$ZodType>(schema: S, value: unknown, what: string): ParseResult<z.output<S>> {
  const result = z.safeParse(schema, value);
  return result.success ? { ok: true, message: result.data } : { ok: false, code: 'invalid', reason: describe(what, result.error) };
}

/** Parses whatever arrived in a `message` event. Never throws. */
export function parseHostMessage(raw: unknown): ParseResult<HostMessage> {
  const decoded = decodeJsonObject(raw);
  if (!decoded.ok) return decoded;
  const value = decoded.message;
  if (Object.hasOwn(value, 'MessageFrameID')) return parseWith(ParsedFrameId, value, 'MessageFrameID message');
  if (Object.hasOwn(value, 'event')) return parseWith(ParsedEvent, value, 'event message');
  if (Object.hasOwn(value, 'response')) {
    const response = value.response;
    if (typeof response === 'string' && response.toLowerCase() === MEMBER_AUTHENTICATION_RESPONSE) {
      return parseWith(ParsedMemberAuthentication, value, 'getmemberauthentication response');
    }
    return parseWith(ParsedOtherResponse, value, 'response message');
  }
  return { ok: false, code: 'unknown_shape', reason: 'not a MessageFrameID, event or response message' };
}

// ---------------------------------------------------------------------------------------
// Pod → host

/** `{"message":"ready"}`: the pod's opening message, sent before any frame id exists. */
export const ReadyMessage = z.object({ message: z.literal('ready') });

export const GetMemberAuthenticationRequest = z.object({
  hosted_request: z.literal('getMemberAuthentication'),
  ...frameIdField,
});
export const OpenScreenArgs = z.object({
  newTab: z.boolean(),
  /** The readme lists only these two. */
  screen: z.enum(['ticket', 'company']),
  id: RecordId,
});
export type OpenScreenArgs = z.input<typeof OpenScreenArgs>;
export const OpenScreenRequest = z.object({
  hosted_request: z.literal('openScreen'),
  args: OpenScreenArgs,
  ...frameIdField,
});
export const RefreshScreenRequest = z.object({
  hosted_request: z.literal('refreshScreen'),
  /** The readme sends `{}`; the library sends nothing. */
  args: z.optional(z.object({})),
  ...frameIdField,
});
export const SetDirtyRequest = z.object({
  hosted_request: z.literal('setDirty'),
  args: z.object({ dirty: z.boolean() }),
  ...frameIdField,
});
/** Requests: `hosted_request` with a camelCase name (a `request` key is silently dropped). */
export const HostedRequest = z.discriminatedUnion('hosted_request', [
  GetMemberAuthenticationRequest,
  OpenScreenRequest,
  RefreshScreenRequest,
  SetDirtyRequest,
]);
export type HostedRequest = z.output<typeof HostedRequest>;
export type HostedRequestInput = z.input<typeof HostedRequest>;

/** `{event,_id,result:"success",frameID}`: the answer to every event. */
export const EventAck = z.object({
  event: Name,
  _id: z.optional(WireId),
  result: z.literal('success'),
  ...frameIdField,
});
/** `{event:"beforeSave",_id,result:"failure",errors:[…],frameID}`: stops the host saving. */
export const EventRefusal = z.object({
  event: Name,
  _id: z.optional(WireId),
  result: z.literal('failure'),
  errors: z.array(ErrorText).check(z.minLength(1), z.maxLength(10)),
  ...frameIdField,
});

/** Every message the pod may send. */
export const PodMessage = z.union([ReadyMessage, HostedRequest, EventAck, EventRefusal]);
export type PodMessage = z.output<typeof PodMessage>;

/** What the pod answers to `beforeSave`: let the save go ahead, or stop it with reasons. */
export const BeforeSaveAnswer = z.union([
  z.object({ result: z.literal('success') }),
  z.object({ result: z.literal('failure'), errors: z.array(ErrorText).check(z.minLength(1), z.maxLength(10)) }),
]);
export type BeforeSaveAnswer = z.output<typeof BeforeSaveAnswer>;

/** Parses a message the pod sent (the harness's side of the wire). Never throws. */
export function parsePodMessage(raw: unknown): ParseResult<PodMessage> {
  const decoded = decodeJsonObject(raw);
  if (!decoded.ok) return decoded;
  return parseWith(PodMessage, decoded.message, 'pod message');
}

// Builders validate through the schemas (so a bug in the caller throws here, in our code,
// instead of being dropped silently by ConnectWise) and return the JSON string to post.
function build<S extends z.core.$ZodType>(schema: S, message: z.input<S>): string {
  return JSON.stringify(z.parse(schema, message));
}

export function buildReady(): string {
  return build(ReadyMessage, { message: 'ready' });
}
export function buildHostedRequest(request: z.input<typeof HostedRequest>): string {
  return build(HostedRequest, request);
}
export function buildEventAck(ack: Omit<z.input<typeof EventAck>, 'result'>): string {
  return build(EventAck, { event: ack.event, _id: ack._id, result: 'success', frameID: ack.frameID });
}
export function buildEventRefusal(refusal: Omit<z.input<typeof EventRefusal>, 'result'>): string {
  return build(EventRefusal, {
    event: refusal.event,
    _id: refusal._id,
    result: 'failure',
    errors: refusal.errors,
    frameID: refusal.frameID,
  });
}

// Host → pod builders, for the harness. They validate with the pod's own parsers but send the
// input as given, so the harness can play ConnectWise's looser forms ("Ticket", "123").

export function buildFrameId(frameId: string): string {
  return build(FrameIdMessage, { MessageFrameID: frameId });
}

export function buildHostEvent(event: {
  event: string;
  _id?: string;
  screenObject?: z.input<typeof ScreenObject>;
  /** `data` (what ConnectWise sends) or the readme's `args:{screen,id}`. */
  form?: 'data' | 'args';
}): string {
  const message: z.input<typeof HostEventMessage> = { event: event.event, _id: event._id };
  if (event.screenObject !== undefined) {
    z.parse(ScreenObject, event.screenObject);
    if (event.form === 'args') message.args = event.screenObject;
    else message.data = { screenObject: event.screenObject };
  }
  return build(HostEventMessage, message);
}

export function buildMemberAuthenticationResponse(response: {
  _id?: string;
  data: z.input<typeof MemberAuthentication>;
  /** Defaults to ConnectWise's lower-case name. */
  response?: string;
}): string {
  const message = { response: response.response ?? MEMBER_AUTHENTICATION_RESPONSE, _id: response._id, data: response.data };
  z.parse(MemberAuthenticationResponse, message);
  return JSON.stringify(message);
}
