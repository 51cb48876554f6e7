import type { SectionError } from '../../shared/ticket-context.ts';
import { classifyConnectWiseFailure } from '../connectwise/errors/classify-failure.ts';

export type Section<T> = { ok: true; data: T } | { ok: false; error: SectionError };

/**
 * Why an optional part could not be loaded, in the classifier's plain words for technicians
 * (never ConnectWise's own text, a host or an address), or undefined when the error must
 * propagate: not a ConnectWise failure (a bug of ours, an abort), or a failure of the
 * tenant's settings (keys, clientId, API member, company), which fails every part alike and
 * is one screen in the pod, not a card per section (issue 11 item 3).
 */
export function sectionErrorOf(err: unknown): SectionError | undefined {
  const failure = classifyConnectWiseFailure(err);
  if (failure === null || failure.tenantLevel) return undefined;
  const code = failure.kind === 'forbidden' || failure.kind === 'member_forbidden' ? 'forbidden' : failure.kind === 'not_found' ? 'not_found' : 'unavailable';
  return { code, message: failure.technician };
}

/**
 * Settles an optional part into a section; ConnectWise failures become the section's error.
 * A failure that must propagate rejects the returned promise, which callers may await only
 * after other reads (the ticket first): it is marked handled here, so it never counts as an
 * unhandled rejection meanwhile, and still rejects for whoever awaits it.
 */
export function section<T>(work: Promise<T>): Promise<Section<T>> {
  const settled = work.then(
    (data): Section<T> => ({ ok: true, data }),
    (err: unknown): Section<T> => {
      const error = sectionErrorOf(err);
      if (error === undefined) throw err;
      return { ok: false, error };
    },
  );
  settled.catch(() => undefined);
  return settled;
}
