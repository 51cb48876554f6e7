import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { CopyField } from '../../../../pod/admin/views/CopyField.tsx';
import { mount, unmountAll } from '../support/mount.ts';

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const URL_VALUE = 'https://pod.example.com/hostedapis/connectwiseiframe/acme?id=[cw_id]&screen=[cw_screen]';

describe('copy field', () => {
  it('shows the value read-only under its label', async () => {
    mount(<CopyField label="Pod URL" value={URL_VALUE} testId="pod-url" />);
    const input = page.getByLabelText('Pod URL');
    await expect.element(input).toHaveValue(URL_VALUE);
    await expect.element(input).toHaveAttribute('readonly');
    await expect.element(page.getByRole('button', { name: 'Copy Pod URL' })).toHaveTextContent('Copy');
  });

  it('copies the value and says so', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    mount(<CopyField label="Pod URL" value={URL_VALUE} testId="pod-url" />);
    await userEvent.click(page.getByTestId('pod-url-copy'));
    expect(writeText).toHaveBeenCalledWith(URL_VALUE);
    await expect.element(page.getByTestId('pod-url-copy')).toHaveTextContent('Copied');
  });

  it('goes back to "Copy" after a while', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    mount(<CopyField label="Origin" value="https://pod.example.com" testId="hosted-origin" />);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    (document.querySelector('[data-testid="hosted-origin-copy"]') as HTMLButtonElement).click();
    await expect.poll(() => document.querySelector('[data-testid="hosted-origin-copy"]')!.textContent).toBe('Copied');
    vi.advanceTimersByTime(3000);
    await expect.poll(() => document.querySelector('[data-testid="hosted-origin-copy"]')!.textContent).toBe('Copy');
  });

  it('selects the text and tells the admin to press Ctrl+C when copying is blocked', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    vi.spyOn(document, 'execCommand').mockReturnValue(false);
    mount(<CopyField label="Pod URL" value={URL_VALUE} testId="pod-url" />);
    await userEvent.click(page.getByTestId('pod-url-copy'));
    await expect.element(page.getByRole('status')).toMatchTextContent('press Ctrl+C');
    const input = document.querySelector<HTMLInputElement>('[data-testid="pod-url"]')!;
    expect(document.activeElement).toBe(input);
    expect(input.value.slice(input.selectionStart!, input.selectionEnd!)).toBe(URL_VALUE);
    await expect.element(page.getByTestId('pod-url-copy')).toHaveTextContent('Copy');
  });

  it('selects the whole value when the field is focused', async () => {
    mount(<CopyField label="Screen" value="Service Ticket" testId="hosted-screen" />);
    await userEvent.click(page.getByTestId('hosted-screen'));
    const input = document.querySelector<HTMLInputElement>('[data-testid="hosted-screen"]')!;
    await expect.poll(() => input.value.slice(input.selectionStart!, input.selectionEnd!)).toBe('Service Ticket');
  });
});
