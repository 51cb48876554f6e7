import type { SectionError } from '../../shared/ticket-context.ts';
import { BlockedAddressError } from '../connectwise/errors/BlockedAddressError.ts';
import { ConnectWiseHttpError } from '../connectwise/errors/ConnectWiseHttpError.ts';
import { ConnectWiseUnreachableError } from '../connectwise/errors/ConnectWiseUnreachableError.ts';

export type Section<T> = { ok: true; data: T } | { ok: false; error: SectionError };

/**
 * Why an optional part could not be loaded, in ConnectWise's own words, or undefined when
 * the error is not a ConnectWise failure (a bug of ours, an abort), which must propagate.
 * The client's messages carry no secrets (server/connectwise/errors).
 */
export function sectionErrorOf(err: unknown): SectionError | undefined {
  if (err instanceof ConnectWiseHttpError) {
    const code = err.status === 403 ? 'forbidden' : err.status === 404 ? 'not_found' : 'unavailable';
    return { code, message: err.cwMessage };
  }
  if (err instanceof ConnectWiseUnreachableError || err instanceof BlockedAddressError) {
    return { code: 'unavailable', message: err.message };
  }
  return undefined;
}

/** Settles an optional part into a section; ConnectWise failures become the section's error. */
export async function section<T>(work: Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, data: await work };
  } catch (err) {
    const error = sectionErrorOf(err);
    if (error === undefined) throw err;
    return { ok: false, error };
  }
}
