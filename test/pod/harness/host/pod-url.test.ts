import { describe, expect, it } from 'vitest';
import { buildPodUrl, substituteTokens } from '../../../../pod/harness/host/pod-url.ts';

const template = 'https://pod.example/hostedapis/connectwiseiframe/demo?id=[cw_id]&screen=[cw_screen]';

describe('pod URL', () => {
  it('substitutes [cw_id] and [cw_screen] as ConnectWise does', () => {
    expect(buildPodUrl({ template, ticketId: 456, nilear: false })).toEqual({
      ok: true,
      url: 'https://pod.example/hostedapis/connectwiseiframe/demo?id=456&screen=ticket',
      origin: 'https://pod.example',
    });
  });

  it('substitutes tokens anywhere, including the path (Rewst style)', () => {
    expect(substituteTokens('https://x.example/embed/[cw_screen]/[cw_id]', 7, 'Ticket')).toBe('https://x.example/embed/ticket/7');
  });

  it('adds nilear=true in Nilear mode and removes it otherwise', () => {
    const nilear = buildPodUrl({ template, ticketId: 1, nilear: true });
    expect(nilear.ok && new URL(nilear.url).searchParams.get('nilear')).toBe('true');
    const back = buildPodUrl({ template: `${template}&nilear=true`, ticketId: 1, nilear: false });
    expect(back.ok && new URL(back.url).searchParams.has('nilear')).toBe(false);
  });

  it('resolves a path against the base', () => {
    const url = buildPodUrl({ template: '/pod?id=[cw_id]', ticketId: 3, nilear: false, base: 'http://127.0.0.1:4001' });
    expect(url).toMatchObject({ ok: true, url: 'http://127.0.0.1:4001/pod?id=3', origin: 'http://127.0.0.1:4001' });
  });

  it('refuses what is not an http(s) URL', () => {
    expect(buildPodUrl({ template: 'not a url', ticketId: 1, nilear: false })).toMatchObject({ ok: false });
    expect(buildPodUrl({ template: 'javascript:alert(1)', ticketId: 1, nilear: false })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/http or https/),
    });
  });
});
