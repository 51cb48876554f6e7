import { HttpResponse } from 'msw';
import { cwError } from './cw-errors.ts';

/**
 * Faults that answer with shapes ConnectWise's 2025.8 OpenAPI allows but clients easily
 * refuse (issue 14, docs/connectwise.md §8). Each rewrites the real answer, so everything else
 * about the request (authentication, rights, paging) behaves as usual.
 */

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

async function readJson(response: Response): Promise<JsonValue | undefined> {
  try {
    return (await response.clone().json()) as JsonValue;
  } catch {
    return undefined;
  }
}

function rewritten(response: Response, body: JsonValue): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return HttpResponse.json(body as never, { status: response.status, headers });
}

/** Every object below a record that has an `id` is a reference: its id becomes null. */
function nullReferenceIds(value: JsonValue, depth: number): JsonValue {
  if (Array.isArray(value)) return value.map((v) => nullReferenceIds(v, depth));
  if (!isObject(value)) return value;
  const out: { [key: string]: JsonValue } = {};
  for (const [key, v] of Object.entries(value)) out[key] = nullReferenceIds(v, depth + 1);
  if (depth > 0 && Object.hasOwn(out, 'id')) out['id'] = null;
  return out;
}

/** `null-references`: the record itself (or each record of a list) keeps its id. */
export async function withNullReferences(response: Response): Promise<Response> {
  const body = await readJson(response);
  if (body === undefined || response.status >= 400) return response;
  return rewritten(response, Array.isArray(body) ? body.map((r) => nullReferenceIds(r, 0)) : nullReferenceIds(body, 0));
}

/** `code-only-errors`: an error body without its `message`. */
export async function withCodeOnlyErrors(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const body = await readJson(response);
  if (!isObject(body) || !Object.hasOwn(body, 'code')) return response;
  const { message: _dropped, ...rest } = body;
  return rewritten(response, rest);
}

/** `missing-endpoint`: what a ConnectWise version without the endpoint answers (wording unconfirmed). */
export function missingEndpoint(): Response {
  return cwError(404, 'NotFound', 'The endpoint does not exist.');
}
