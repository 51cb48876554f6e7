import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'preact';
import '../../../../pod/harness/harness.css';
import { HarnessApp } from '../../../../pod/harness/views/HarnessApp.tsx';
import { createHarnessController } from '../../../../pod/harness/host/harness-controller.ts';
import type { FetchLike } from '../../../../pod/harness/host/faults.ts';
import { harnessConfig } from '../harness-fixtures.ts';

// The fixture's pod origin is not listening: the iframe shows an error page, which is enough
// to exercise the controls. Messages "from the pod" are dispatched with the iframe's real
// window as their source, exactly as the browser would deliver them.
const POD = 'http://127.0.0.1:4000';

let container: HTMLElement | null = null;

afterEach(() => {
  if (container !== null) {
    render(null, container);
    container.remove();
    container = null;
  }
});

function mount(opts: { nilearOrigin?: string | null } = {}) {
  const navigations: string[] = [];
  const fetchCalls: { url: string; method: string; body?: string }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    fetchCalls.push({ url, method: init?.method ?? 'GET', ...(init?.body !== undefined ? { body: init.body } : {}) });
    return { ok: true, status: 204, text: async () => '' };
  };
  const controller = createHarnessController({
    config: harnessConfig(opts.nilearOrigin !== undefined ? { nilearOrigin: opts.nilearOrigin } : {}),
    location: { origin: 'http://127.0.0.1:4001', pathname: '/', search: '' },
    fetch: fetchFn,
    navigate: (url) => navigations.push(url),
    now: () => performance.now(),
  });
  container = document.createElement('div');
  document.body.append(container);
  render(<HarnessApp controller={controller} />, container);
  return { controller, navigations, fetchCalls };
}

function podFrame(): HTMLIFrameElement {
  return page.getByTestId('pod-frame').element() as HTMLIFrameElement;
}

function fromPod(message: unknown, source: Window | null = podFrame().contentWindow) {
  window.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message), origin: POD, source }));
}

describe('developer harness page', () => {
  it('looks like a ticket screen, says it is a simulation, and frames the pod at 900 px', async () => {
    mount();
    await expect.element(page.getByTestId('harness-banner')).toMatchTextContent('Developer harness — simulated ConnectWise');
    await expect.element(page.getByTestId('ticket-summary')).toMatchTextContent('Printer offline');
    const frame = podFrame();
    expect(frame.getAttribute('src')).toBe(`${POD}/hostedapis/connectwiseiframe/demo?id=1001&screen=ticket`);
    expect(frame.getBoundingClientRect().height).toBe(900);
    expect(frame.name).toBe('cw-pod');
  });

  it('answers the pod and shows the frame id', async () => {
    mount();
    fromPod({ message: 'ready' });
    await expect.element(page.getByTestId('frame-id')).not.toMatchTextContent('waiting');
    await expect.element(page.getByTestId('auth-count')).toHaveTextContent('0');
    await expect.element(page.getByTestId('log-entry').filter({ hasText: 'MessageFrameID' }).first()).toBeVisible();
  });

  it('changes the ticket with a new onLoad and the same iframe', async () => {
    const { controller } = mount();
    fromPod({ message: 'ready' });
    const before = podFrame();
    await userEvent.fill(page.getByTestId('ticket-input'), '1002');
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByTestId('ticket-summary')).toMatchTextContent('VPN drops');
    expect(podFrame()).toBe(before);
    expect(podFrame().getAttribute('src')).toContain('id=1001');
    const onLoads = controller.log.entries.value.filter((e) => e.direction === 'out' && e.kind === 'onLoad');
    expect(onLoads.at(-1)!.json).toMatchObject({ data: { screenObject: { id: 1002 } } });
  });

  it('offers the demo tickets and takes a free ticket id', async () => {
    mount();
    const options = [...document.querySelectorAll('#hx-demo-tickets option')].map((o) => (o as HTMLOptionElement).value);
    expect(options).toEqual(['1001', '1002']);
    await userEvent.fill(page.getByTestId('ticket-input'), '777');
    await userEvent.keyboard('{Enter}');
    await expect.element(page.getByTestId('ticket-number')).toMatchTextContent('#777');
  });

  it('reloads the pod for the forged member, whose credentials it then sends', async () => {
    const { controller } = mount();
    const before = podFrame();
    await userEvent.selectOptions(page.getByTestId('member-select'), 'jsmith~forged');
    await expect.poll(() => podFrame() !== before).toBe(true);
    fromPod({ message: 'ready' });
    fromPod({ hosted_request: 'getMemberAuthentication', frameID: controller.session.frameId.value });
    const reply = controller.log.entries.value.find((e) => e.kind === 'getmemberauthentication');
    expect(reply?.json).toMatchObject({ data: { memberid: 'jsmith', memberHash: 'forged' } });
  });

  it('reloads the harness at the Nilear origin when Nilear is chosen', async () => {
    const { navigations } = mount();
    await userEvent.selectOptions(page.getByTestId('mode-select'), 'nilear');
    expect(navigations).toHaveLength(1);
    expect(new URL(navigations[0]!).origin).toBe('http://localhost:4001');
  });

  it('switches to Nilear in place when there is no Nilear origin, adding nilear=true', async () => {
    mount({ nilearOrigin: null });
    await userEvent.selectOptions(page.getByTestId('mode-select'), 'nilear');
    await expect.poll(() => podFrame().getAttribute('src')).toContain('nilear=true');
  });

  it('sends beforeSave and shows the pod refusing it', async () => {
    const { controller } = mount();
    fromPod({ message: 'ready' });
    await userEvent.click(page.getByTestId('before-save'));
    await expect.element(page.getByTestId('before-save-result')).toMatchTextContent('waiting for the pod');
    const sent = controller.log.entries.value.filter((e) => e.kind === 'beforeSave').at(-1)!;
    const _id = (sent.json as { _id: string })._id;
    fromPod({ event: 'beforeSave', _id, result: 'failure', errors: ['Add a resolution first'], frameID: controller.session.frameId.value });
    await expect.element(page.getByTestId('before-save-result')).toMatchTextContent('failure: the save is blocked — Add a resolution first');
  });

  it('loads another pod URL with the tokens substituted', async () => {
    mount();
    await userEvent.fill(page.getByTestId('pod-url'), 'http://127.0.0.1:4999/other-pod?record=[cw_id]&s=[cw_screen]');
    await userEvent.click(page.getByTestId('load-pod-url'));
    await expect.poll(() => podFrame().getAttribute('src')).toBe('http://127.0.0.1:4999/other-pod?record=1001&s=ticket');
  });

  it('injects a fault preset through the simulator', async () => {
    const { fetchCalls } = mount();
    await userEvent.selectOptions(page.getByTestId('fault-select'), 'slow');
    await expect.poll(() => fetchCalls.map((c) => c.method)).toEqual(['DELETE', 'POST']);
    expect(JSON.parse(fetchCalls[1]!.body!)).toEqual([{ kind: 'latency', ms: 2000 }]);
    await expect.element(page.getByTestId('log-entry').filter({ hasText: 'faults: Slow (2 s)' })).toBeVisible();
  });

  it('starts a foreign-origin probe in a hidden frame on the other origin', async () => {
    mount();
    await userEvent.click(page.getByTestId('foreign-message'));
    await expect.element(page.getByTestId('foreign-result')).toMatchTextContent('Posting from http://localhost:4001');
    const hidden = document.querySelector('iframe.hx-hidden-frame') as HTMLIFrameElement | null;
    expect(hidden).not.toBeNull();
    const url = new URL(hidden!.src);
    expect(url.origin).toBe('http://localhost:4001');
    expect(url.searchParams.get('role')).toBe('foreign');
    expect(url.searchParams.get('pod')).toBe(POD);
  });
});
