import type { ComponentChildren } from 'preact';

/** Label/value pairs; empty values are left out rather than shown blank. */
export function FieldList({ fields }: { fields: [label: string, value: ComponentChildren][] }) {
  const present = fields.filter(([, value]) => value !== undefined && value !== null && value !== '' && value !== false);
  if (present.length === 0) return null;
  return (
    <dl class="fields">
      {present.map(([label, value]) => (
        <div class="field" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
