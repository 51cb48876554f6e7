import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { useState } from 'preact/hooks';
import { render } from 'preact';
import { PodDisplayFields } from '../../../../pod/admin/views/PodDisplayFields.tsx';
import { defaultPodDisplay, type PodDisplay } from '../../../../shared/pod-display.ts';

let container: HTMLElement | null = null;
afterEach(() => {
  if (container) render(null, container);
  container?.remove();
  container = null;
});

describe('pod display fields (issue 12)', () => {
  it('sets the colour scheme and adds, edits and removes configuration links; shows a field error', async () => {
    let latest: PodDisplay = defaultPodDisplay;
    function Host() {
      const [value, setValue] = useState<PodDisplay>(defaultPodDisplay);
      latest = value;
      return <PodDisplayFields value={value} onChange={setValue} errors={{ 'podDisplay.linkTemplates.0.url': 'links must start with https://' }} />;
    }
    container = document.createElement('div');
    document.body.append(container);
    render(<Host />, container);

    await userEvent.selectOptions(page.getByTestId('field-colorScheme'), 'system');
    await expect.poll(() => latest.colorScheme).toBe('system');
    await userEvent.click(page.getByTestId('add-link-template'));
    await userEvent.fill(page.getByTestId('link-label-0'), 'Open in RMM');
    await userEvent.fill(page.getByTestId('link-url-0'), 'https://rmm.example.com/device/{deviceIdentifier}');
    await expect.poll(() => latest.linkTemplates).toEqual([{ label: 'Open in RMM', url: 'https://rmm.example.com/device/{deviceIdentifier}' }]);
    await expect.element(page.getByTestId('link-url-0-error')).toHaveTextContent('links must start with https://');
    await expect.element(page.getByTestId('link-url-0')).toHaveAttribute('aria-invalid', 'true');
    await userEvent.click(page.getByRole('button', { name: 'Remove link 1' }));
    await expect.poll(() => latest.linkTemplates).toEqual([]);
  });
});
