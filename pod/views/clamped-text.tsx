import { useState } from 'preact/hooks';

interface ClampedTextProps {
  text: string;
  /** Characters shown while collapsed. */
  limit?: number;
  /** Lines shown while collapsed. */
  maxLines?: number;
  label?: string;
}

/** Long text shows its start and a "more" toggle, so one long note cannot push the rest out of the pod. */
export function ClampedText({ text, limit = 280, maxLines = 5, label = 'text' }: ClampedTextProps) {
  const [expanded, setExpanded] = useState(false);
  const lines = text.split('\n');
  const tooLong = text.length > limit || lines.length > maxLines;
  if (!tooLong) return <p class="clamped">{text}</p>;
  const short = lines.slice(0, maxLines).join('\n').slice(0, limit).trimEnd();
  return (
    <div class="clamped-wrap">
      <p class="clamped">{expanded ? text : `${short}…`}</p>
      <button
        type="button"
        class="link-button"
        aria-expanded={expanded}
        aria-label={expanded ? `Show less of the ${label}` : `Show all of the ${label}`}
        data-testid="more-toggle"
        onClick={() => setExpanded(!expanded)}
      >
        {expanded ? 'less' : 'more'}
      </button>
    </div>
  );
}
