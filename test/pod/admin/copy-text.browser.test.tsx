import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { copyText } from '../../../pod/admin/copy-text.ts';

afterEach(() => {
  vi.restoreAllMocks();
  // Undo a removed Clipboard API (an own property shadowing Navigator.prototype's getter).
  delete (navigator as { clipboard?: unknown }).clipboard;
});

/** What execCommand('copy') would copy: the selected text of the focused-or-not textarea. */
function selectedTextAreaText(): string | null {
  const area = [...document.querySelectorAll('textarea')].at(-1);
  if (area === undefined) return null;
  return area.value.slice(area.selectionStart, area.selectionEnd);
}

describe('copyText', () => {
  it('uses the Clipboard API when it is allowed, and nothing else', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const execCommand = vi.spyOn(document, 'execCommand');
    await expect(copyText('https://pod.example.com/x?id=[cw_id]')).resolves.toBe(true);
    expect(writeText).toHaveBeenCalledWith('https://pod.example.com/x?id=[cw_id]');
    expect(execCommand).not.toHaveBeenCalled();
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('copies for real in Chromium when a click starts it', async () => {
    // Browsers allow copying only during a user gesture, as when the admin clicks Copy.
    const button = document.createElement('button');
    button.textContent = 'Copy';
    let result: Promise<boolean> | null = null;
    button.addEventListener('click', () => (result = copyText('copied for real')));
    document.body.append(button);
    try {
      await userEvent.click(button);
      expect(result).not.toBeNull();
      await expect(result!).resolves.toBe(true);
    } finally {
      button.remove();
    }
  });

  it("falls back to execCommand('copy') on a selected hidden textarea when the Clipboard API refuses", async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('Write permission denied.', 'NotAllowedError'));
    const seen: { command: string; selected: string | null }[] = [];
    vi.spyOn(document, 'execCommand').mockImplementation((command: string) => {
      seen.push({ command, selected: selectedTextAreaText() });
      return true;
    });
    await expect(copyText('Service Ticket')).resolves.toBe(true);
    expect(seen).toEqual([{ command: 'copy', selected: 'Service Ticket' }]);
    // The helper textarea is gone again.
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('falls back when the page has no Clipboard API at all', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    const execCommand = vi.spyOn(document, 'execCommand').mockReturnValue(true);
    await expect(copyText('900')).resolves.toBe(true);
    expect(execCommand).toHaveBeenCalledWith('copy');
  });

  it('returns false when both ways fail', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('Document is not focused.', 'NotAllowedError'));
    vi.spyOn(document, 'execCommand').mockReturnValue(false);
    await expect(copyText('x')).resolves.toBe(false);
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('returns false when execCommand throws', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'));
    vi.spyOn(document, 'execCommand').mockImplementation(() => {
      throw new Error('SecurityError');
    });
    await expect(copyText('x')).resolves.toBe(false);
    expect(document.querySelector('textarea')).toBeNull();
  });
});
