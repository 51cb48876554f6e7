import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { SolvedBefore } from '../../../shared/solved-before.ts';
import { PodApiError } from '../../../pod/api/errors/pod-api-error.ts';
import { provideSolvedBefore } from '../../../pod/app/solved-before-source.ts';
import { SolvedBeforeCard } from '../../../pod/views/solved-before-card.tsx';
import { mount, unmountAll } from './support/mount.tsx';

/** The Solved before card's states in Chromium, with the controller replaced by a fake source. */

afterEach(() => {
  unmountAll();
  provideSolvedBefore(null);
});

const meta = { fetchedAt: '2026-03-16T09:00:00Z', fromCache: false };
const answer: SolvedBefore = {
  searched: 42,
  meta,
  hits: {
    ok: true,
    data: [
      {
        id: 3001,
        summary: 'Reception printer shows offline after patch Tuesday',
        closedAt: '2026-03-04T09:00:00Z',
        resolvedBy: 'jsmith',
        board: 'Help Desk',
        why: ['same configuration CD-RECEPTION-PRN', 'matches: offline, printer'],
        resolution: { ok: true, data: { text: 'Re-added the printer on a Standard TCP/IP port.', flagged: true, trimmed: false } },
      },
      {
        id: 3003,
        summary: 'LaserJet printing blank pages',
        board: 'Help Desk',
        why: ['matches: laserjet'],
        resolution: { ok: false, error: { code: 'forbidden', message: 'You do not have security permission.' } },
      },
    ],
  },
};

/** A source whose answers the test releases by hand, recording what the card asked. */
function fakeSource() {
  const asked: number[] = [];
  const opened: number[] = [];
  let settle: { resolve: (a: SolvedBefore) => void; reject: (e: unknown) => void } | null = null;
  provideSolvedBefore({
    find: (ticketId) => {
      asked.push(ticketId);
      return new Promise<SolvedBefore>((resolve, reject) => {
        settle = { resolve, reject };
      });
    },
    open: (id) => opened.push(id),
  });
  return {
    asked,
    opened,
    resolve: (a: SolvedBefore) => settle!.resolve(a),
    reject: (e: unknown) => settle!.reject(e),
  };
}

const stateOf = (el: HTMLElement) => el.querySelector('[data-testid="solved-before-state"]')?.getAttribute('data-state');
const button = (el: HTMLElement) => el.querySelector<HTMLButtonElement>('[data-testid="solved-before-find"]');

describe('Solved before card', () => {
  it('costs nothing until asked, then shows loading and the hits with their resolutions', async () => {
    const source = fakeSource();
    const el = mount(<SolvedBeforeCard ticketId={1001} />);
    expect(stateOf(el)).toBe('idle');
    expect(button(el)?.textContent).toBe('Find similar solved tickets');
    expect(source.asked).toEqual([]);

    await userEvent.click(button(el)!);
    await expect.poll(() => stateOf(el)).toBe('loading');
    expect(source.asked).toEqual([1001]);
    expect(button(el)).toBeNull();

    source.resolve(answer);
    await expect.poll(() => stateOf(el)).toBe('results');
    const hits = el.querySelectorAll('[data-testid="solved-before-hit"]');
    expect(hits).toHaveLength(2);
    const first = hits[0]!;
    for (const text of ['#3001', 'Reception printer shows offline', 'by jsmith', 'Help Desk', 'same configuration CD-RECEPTION-PRN', 'matches: offline, printer', 'Resolution:', 'Standard TCP/IP port']) {
      expect(first.textContent).toContain(text);
    }
    expect(first.textContent).toMatch(/closed \S/);
    expect(hits[1]!.textContent).toContain('Resolution could not be read: You do not have security permission.');

    await userEvent.click(first.querySelector('button')!);
    expect(source.opened).toEqual([3001]);
  });

  it('says so when nothing similar was resolved', async () => {
    const source = fakeSource();
    const el = mount(<SolvedBeforeCard ticketId={1001} />);
    await userEvent.click(button(el)!);
    source.resolve({ ...answer, hits: { ok: true, data: [] } });
    await expect.poll(() => stateOf(el)).toBe('none');
    expect(el.textContent).toContain('No similar resolved tickets for this company in the last 12 months (42 compared).');
  });

  it('shows a refusal as forbidden, with the server’s reason, and offers no retry', async () => {
    const source = fakeSource();
    const el = mount(<SolvedBeforeCard ticketId={1004} />);
    await userEvent.click(button(el)!);
    source.reject(new PodApiError('ticket_forbidden', 'ConnectWise says you cannot view ticket #1004.', { status: 403 }));
    await expect.poll(() => stateOf(el)).toBe('forbidden');
    expect(el.textContent).toContain('Solved before hidden: ConnectWise says you cannot view ticket #1004.');
    expect(button(el)).toBeNull();
  });

  it('keeps a failure inside the card and lets the technician search again', async () => {
    const source = fakeSource();
    const el = mount(<SolvedBeforeCard ticketId={1001} />);
    await userEvent.click(button(el)!);
    source.resolve({ ...answer, hits: { ok: false, error: { code: 'unavailable', message: 'ConnectWise answered HTTP 500.' } } });
    await expect.poll(() => stateOf(el)).toBe('failed');
    expect(el.textContent).toContain('ConnectWise could not be searched. ConnectWise answered HTTP 500.');
    expect(button(el)?.textContent).toBe('Search again');

    await userEvent.click(button(el)!);
    source.reject(new PodApiError('connectwise_unreachable', 'The pod server did not answer (network error).'));
    await expect.poll(() => el.textContent).toContain('The pod server did not answer (network error).');
    expect(stateOf(el)).toBe('failed');
    expect(source.asked).toEqual([1001, 1001]);
  });

  it('renders nothing when the pod has not wired a source', () => {
    const el = mount(<SolvedBeforeCard ticketId={1001} />);
    expect(el.querySelector('[data-testid="card-solved-before"]')).toBeNull();
  });
});
