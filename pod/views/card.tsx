import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { SectionError } from '../../shared/ticket-context.ts';
import { CardPlacement, collapsedCards, moveCard, setCollapsed } from './card-layout.ts';

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

/**
 * One section of the ticket view; a failed section says why in one line instead of vanishing.
 * The title folds the card away; inside the ticket view, two small controls move it up or
 * down. Both are remembered in the browser (card-layout.ts).
 */
export function Card({ id, title, aside, error, children }: CardProps) {
  const headingId = `card-${id}-title`;
  const bodyId = `card-${id}-body`;
  const collapsed = collapsedCards.value.has(id);
  const placement = useContext(CardPlacement);
  const index = placement?.indexOf(id) ?? -1;
  return (
    <section class={collapsed ? 'card card-collapsed' : 'card'} data-testid={`card-${id}`} aria-labelledby={headingId}>
      <h2 id={headingId} class="card-title">
        <button
          type="button"
          class="card-toggle"
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          data-testid={`card-${id}-toggle`}
          onClick={() => setCollapsed(id, !collapsed)}
        >
          <span class="card-caret" aria-hidden="true">
            {collapsed ? '▸' : '▾'}
          </span>
          {title}
        </button>
        {aside !== undefined && <span class="card-aside">{aside}</span>}
        {placement !== null && index >= 0 && (
          <span class="card-move">
            <button
              type="button"
              class="icon-button small"
              aria-label={`Move ${title} up`}
              title="Move up"
              disabled={index === 0}
              onClick={() => moveCard(id, -1, placement)}
            >
              <span aria-hidden="true">↑</span>
            </button>
            <button
              type="button"
              class="icon-button small"
              aria-label={`Move ${title} down`}
              title="Move down"
              disabled={index === placement.length - 1}
              onClick={() => moveCard(id, 1, placement)}
            >
              <span aria-hidden="true">↓</span>
            </button>
          </span>
        )}
      </h2>
      <div id={bodyId} class="card-body" hidden={collapsed}>
        {error ? (
          <p class={error.code === 'not_in_role' ? 'section-error not-in-role' : 'section-error'} data-testid={`card-${id}-error`} data-code={error.code}>
            {sectionErrorText(title, error)}
          </p>
        ) : (
          children
        )}
      </div>
    </section>
  );
}
