import { linkPlaceholders, MAX_LINK_TEMPLATES, type PodDisplay } from '../../../shared/pod-display.ts';

interface PodDisplayFieldsProps {
  value: PodDisplay;
  onChange: (value: PodDisplay) => void;
  /** Field errors from the admin API, keyed by path ("podDisplay.linkTemplates.0.url"). */
  errors: Record<string, string>;
}

/**
 * Issue 12: how the pod looks for this company's technicians. The colour scheme (ConnectWise's
 * light screen, or the technician's system setting) and up to five links shown on each
 * configuration, e.g. to an RMM or remote-access console. Links are https only; placeholders
 * take the configuration's fields, URL-encoded, and may not be in the host name.
 */
export function PodDisplayFields({ value, onChange, errors }: PodDisplayFieldsProps) {
  const templates = value.linkTemplates;
  const setTemplate = (index: number, key: 'label' | 'url', text: string) =>
    onChange({ ...value, linkTemplates: templates.map((t, i) => (i === index ? { ...t, [key]: text } : t)) });
  const placeholders = linkPlaceholders.map((p) => `{${p}}`).join(' ');
  return (
    <fieldset class="pod-display" data-testid="pod-display">
      <legend>Pod display</legend>
      <div class="field">
        <label for="colorScheme">Colours</label>
        <select
          id="colorScheme"
          data-testid="field-colorScheme"
          value={value.colorScheme}
          onChange={(e) => onChange({ ...value, colorScheme: (e.target as HTMLSelectElement).value === 'system' ? 'system' : 'light' })}
        >
          <option value="light">Light, like ConnectWise</option>
          <option value="system">Follow each technician's system setting (light or dark)</option>
        </select>
      </div>
      <p class="muted" id="link-templates-hint">
        Configuration links (none by default): https only, opened in a new tab. Placeholders: {placeholders}
      </p>
      {templates.map((t, i) => {
        const labelKey = `podDisplay.linkTemplates.${i}.label`;
        const urlKey = `podDisplay.linkTemplates.${i}.url`;
        return (
          <div class="link-template" key={i} data-testid="link-template">
            <div class="field">
              <label for={`link-label-${i}`}>Link {i + 1} label</label>
              <input
                id={`link-label-${i}`}
                data-testid={`link-label-${i}`}
                value={t.label}
                maxLength={40}
                placeholder="Open in RMM"
                aria-invalid={errors[labelKey] ? 'true' : undefined}
                aria-describedby={errors[labelKey] ? `link-label-${i}-error` : undefined}
                onInput={(e) => setTemplate(i, 'label', (e.target as HTMLInputElement).value)}
              />
              {errors[labelKey] && (
                <span id={`link-label-${i}-error`} class="error">
                  {errors[labelKey]}
                </span>
              )}
            </div>
            <div class="field">
              <label for={`link-url-${i}`}>Link {i + 1} URL</label>
              <input
                id={`link-url-${i}`}
                data-testid={`link-url-${i}`}
                value={t.url}
                maxLength={500}
                spellcheck={false}
                autocomplete="off"
                placeholder="https://rmm.example.com/device/{deviceIdentifier}"
                aria-invalid={errors[urlKey] ? 'true' : undefined}
                aria-describedby={errors[urlKey] ? `link-url-${i}-error` : 'link-templates-hint'}
                onInput={(e) => setTemplate(i, 'url', (e.target as HTMLInputElement).value)}
              />
              {errors[urlKey] && (
                <span id={`link-url-${i}-error`} class="error" data-testid={`link-url-${i}-error`}>
                  {errors[urlKey]}
                </span>
              )}
            </div>
            <button type="button" onClick={() => onChange({ ...value, linkTemplates: templates.filter((_, j) => j !== i) })}>
              Remove link {i + 1}
            </button>
          </div>
        );
      })}
      {templates.length < MAX_LINK_TEMPLATES && (
        <button
          type="button"
          data-testid="add-link-template"
          onClick={() => onChange({ ...value, linkTemplates: [...templates, { label: '', url: '' }] })}
        >
          Add a configuration link
        </button>
      )}
    </fieldset>
  );
}
