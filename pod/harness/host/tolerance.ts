import * as z from 'zod/mini';
import { MAX_ERROR_TEXT_LENGTH, MAX_MESSAGE_LENGTH, RecordId } from '../../../shared/hosted-api.ts';

/**
 * How forgiving the harness is when it plays ConnectWise (issue 14, docs/connectwise.md §8).
 *
 * - `tolerant` (default): as close as is known to ConnectWise's own client library, which
 *   passes on whatever the pod gives: requests without frameID (sent before the
 *   MessageFrameID reached the pod) are answered,
 *   an `openScreen` with an empty id is accepted (and the harness says what it would do),
 *   `setDirty` is answered, and a `beforeSave` refusal of any shape is accepted and shown.
 * - `strict`: the narrowest reading of the protocol, for pod authors who want to know they
 *   depend on none of that. Everything the tolerant mode forgives is dropped, and says so.
 *
 * Both modes log what they forgave (or would have forgiven) as `forgave` notes.
 */
export const hostStrictnesses = ['tolerant', 'strict'] as const;
export type HostStrictness = (typeof hostStrictnesses)[number];
export const DEFAULT_STRICTNESS: HostStrictness = 'tolerant';

const WireId = z.string().check(z.minLength(1), z.maxLength(200));

/** `openScreen` as ConnectWise's client passes it on: any screen name, an id that may be empty. */
const LooseOpenScreen = z.object({
  hosted_request: z.literal('openScreen'),
  args: z.object({
    newTab: z.optional(z.boolean()),
    screen: z.string().check(z.maxLength(64)),
    id: z.union([RecordId, z.literal(''), z.null()]),
  }),
  frameID: z.optional(WireId),
});

/** A `beforeSave` refusal with whatever the pod put in `errors` (or nothing). */
const LooseRefusal = z.object({
  event: z.string().check(z.minLength(1), z.maxLength(64)),
  _id: z.optional(WireId),
  result: z.literal('failure'),
  errors: z.optional(z.unknown()),
  frameID: z.optional(WireId),
});

export type LooseMessage =
  | { kind: 'openScreen'; screen: string; id: number | null; newTab: boolean; frameID: string | undefined; forgiven: string }
  | { kind: 'refusal'; event: string; _id: string | undefined; errors: string[]; frameID: string | undefined; forgiven: string };

/** Longest reason the harness shows; ConnectWise's client passes longer ones on. */
const SHOWN_LENGTH = 2000;

/** Every refusal reason as text to show, whatever its type; an over-long one is cut for display. */
export function reasonsToShow(errors: unknown): string[] {
  const list = errors === undefined || errors === null ? [] : Array.isArray(errors) ? errors : [errors];
  return list.slice(0, 50).map((e) => {
    const text = typeof e === 'string' ? e : JSON.stringify(e) ?? String(e);
    return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}… (${text.length} characters)` : text;
  });
}

function refusalProblem(errors: unknown): string {
  if (errors === undefined) return 'a refusal without "errors"';
  if (!Array.isArray(errors)) return `a refusal whose "errors" is ${errors === null ? 'null' : `a ${typeof errors}`}, not a list`;
  if (errors.length === 0) return 'a refusal with an empty "errors" list';
  if (errors.length > 10) return `a refusal with ${errors.length} reasons (the narrow reading allows 10)`;
  if (errors.some((e) => typeof e !== 'string')) return 'a refusal with reasons that are not text';
  if (errors.some((e) => typeof e === 'string' && e.length > MAX_ERROR_TEXT_LENGTH)) return `a refusal reason over ${MAX_ERROR_TEXT_LENGTH} characters`;
  if (errors.some((e) => e === '')) return 'an empty refusal reason';
  return 'a refusal of an unusual shape';
}

/**
 * Reads a pod message the exact schemas refused but ConnectWise's client would pass on. Null
 * when it is not one of those (it is then dropped in either mode).
 */
export function readLoosely(raw: unknown): LooseMessage | null {
  if (typeof raw !== 'string' || raw.length > MAX_MESSAGE_LENGTH) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const open = LooseOpenScreen.safeParse(value);
  if (open.success) {
    const { args, frameID } = open.data;
    const id = args.id === '' || args.id === null ? null : args.id;
    const problems = [
      id === null ? 'an empty id' : null,
      args.newTab === undefined ? 'no newTab' : null,
      !['ticket', 'company'].includes(args.screen.toLowerCase()) ? `the screen "${args.screen}" (the readme lists ticket and company)` : null,
    ].filter((p) => p !== null);
    return { kind: 'openScreen', screen: args.screen, id, newTab: args.newTab ?? false, frameID, forgiven: `openScreen with ${problems.join(', ')}` };
  }
  const refusal = LooseRefusal.safeParse(value);
  if (refusal.success) {
    const { event, _id, errors, frameID } = refusal.data;
    return { kind: 'refusal', event, _id, errors: reasonsToShow(errors), frameID, forgiven: refusalProblem(errors) };
  }
  return null;
}
