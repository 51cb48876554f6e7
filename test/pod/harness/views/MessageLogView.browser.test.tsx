import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'preact';
import '../../../../pod/harness/harness.css';
import { MessageLogView } from '../../../../pod/harness/views/MessageLogView.tsx';
import { createMessageLog, describeData } from '../../../../pod/harness/host/message-log.ts';

let container: HTMLElement | null = null;

afterEach(() => {
  if (container !== null) {
    render(null, container);
    container.remove();
    container = null;
  }
});

function mountLog() {
  let now = 0;
  const log = createMessageLog({ now: () => now });
  const add = (direction: 'in' | 'out' | 'ignored' | 'note', kind: string, message: unknown, origin = 'http://127.0.0.1:4000', note?: string) => {
    now += 10;
    log.add({ direction, origin, kind, ...describeData(JSON.stringify(message)), ...(note !== undefined ? { note } : {}) });
  };
  add('in', 'ready', { message: 'ready' });
  add('out', 'MessageFrameID', { MessageFrameID: 'f-1' });
  add('out', 'getmemberauthentication', { response: 'getmemberauthentication', _id: 'a1', data: { memberid: 'jsmith', memberHash: 'SECRETHASH' } });
  add('ignored', 'foreign', { message: 'ready' }, 'https://evil.example', 'not from the pod frame');
  container = document.createElement('div');
  document.body.append(container);
  render(<MessageLogView log={log} />, container);
  return { log, add };
}

const entries = () => page.getByTestId('message-log').getByTestId('log-entry');

describe('message log view', () => {
  it('shows every entry with direction, origin, time and pretty-printed JSON', async () => {
    mountLog();
    await expect.poll(() => entries().elements().length).toBe(4);
    const frameId = entries().nth(1);
    await expect.element(frameId).toHaveAttribute('data-direction', 'out');
    await expect.element(frameId).toMatchTextContent('20 ms');
    await expect.element(frameId).toMatchTextContent('http://127.0.0.1:4000');
    const body = frameId.element().querySelector('pre')!.textContent;
    expect(body).toBe('{\n  "MessageFrameID": "f-1"\n}');
    await expect.element(entries().nth(3)).toMatchTextContent('not from the pod frame');
    await expect.element(entries().nth(3)).toMatchTextContent('https://evil.example');
  });

  it('masks member credentials until asked to show them', async () => {
    mountLog();
    await expect.element(entries().nth(2)).not.toMatchTextContent('SECRETHASH');
    await userEvent.click(page.getByTestId('log-reveal'));
    await expect.element(entries().nth(2)).toMatchTextContent('SECRETHASH');
  });

  it('filters by text and by direction', async () => {
    mountLog();
    await userEvent.fill(page.getByTestId('log-filter'), 'evil');
    await expect.poll(() => entries().elements().length).toBe(1);
    await expect.element(page.getByTestId('log-count')).toMatchTextContent('1 of 4');
    await userEvent.fill(page.getByTestId('log-filter'), '');
    await userEvent.click(page.getByTestId('log-show-out'));
    await expect.poll(() => entries().elements().map((e) => e.getAttribute('data-direction'))).toEqual(['in', 'ignored']);
  });

  it('shows new messages as they arrive and empties on clear', async () => {
    const { add } = mountLog();
    add('in', 'setDirty', { hosted_request: 'setDirty', args: { dirty: true }, frameID: 'f-1' });
    await expect.poll(() => entries().elements().length).toBe(5);
    await userEvent.click(page.getByTestId('log-clear'));
    await expect.poll(() => entries().elements().length).toBe(0);
  });
});
