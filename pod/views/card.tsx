import type { ComponentChildren } from 'preact';
import type { SectionError } from '../../shared/ticket-context.ts';

const errorVerb: Record<Exclude<SectionError['code'], 'not_in_role'>, string> = {
  forbidden: 'hidden',
  not_found: 'not found',
  unavailable: 'could not be loaded',
};

/**
 * "Notes hidden: <ConnectWise's reason>": one line for a part that could not be shown. A
 * section the technician's own role does not grant says so in the server's words ("Your
 * ConnectWise role does not include ticket notes …"): nothing went wrong, so no verb.
 */
export function sectionErrorText(title: string, error: SectionError): string {
  if (error.code === 'not_in_role') return error.message;
  return `${title} ${errorVerb[error.code]}: ${error.message}`;
}

interface CardProps {
  id: string;
  title: string;
  /** Shown after the title, e.g. a count. */
  aside?: ComponentChildren;
  error?: SectionError | undefined;
  children?: ComponentChildren;
}

/** One section of the ticket view; a failed section says why in one line instead of vanishing. */
export function Card({ id, title, aside, error, children }: CardProps) {
  const headingId = `card-${id}-title`;
  return (
    <section class="card" data-testid={`card-${id}`} aria-labelledby={headingId}>
      <h2 id={headingId} class="card-title">
        {title}
        {aside !== undefined && <span class="card-aside">{aside}</span>}
      </h2>
      {error ? (
        <p class={error.code === 'not_in_role' ? 'section-error not-in-role' : 'section-error'} data-testid={`card-${id}-error`} data-code={error.code}>
          {sectionErrorText(title, error)}
        </p>
      ) : (
        children
      )}
    </section>
  );
}
