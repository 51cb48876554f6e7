import { describe, expect, it } from 'vitest';
import { readPodConfig, readUrlScreen, readUrlTicket } from '../../../pod/app/boot-input.ts';

function docWith(text: string | null) {
  return { getElementById: (id: string) => (id === 'pod-config' && text !== null ? ({ textContent: text } as HTMLElement) : null) };
}

const valid = { companyId: 'acme', expectedOrigins: ['https://na.myconnectwise.net'], mode: 'connectwise', apiBase: '/api/pod/acme' };

describe('boot input', () => {
  it('reads the pod settings the server wrote into the page', () => {
    expect(readPodConfig(docWith(JSON.stringify(valid)))).toEqual({ ok: true, config: valid });
  });

  it('explains a missing, unparsable or invalid settings block', () => {
    expect(readPodConfig(docWith(null))).toMatchObject({ ok: false, reason: expect.stringContaining('no pod settings') });
    expect(readPodConfig(docWith('{oops'))).toMatchObject({ ok: false, reason: expect.stringContaining('not valid JSON') });
    const result = readPodConfig(docWith(JSON.stringify({ ...valid, expectedOrigins: [] })));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('expectedOrigins') });
  });

  it('reads the ticket id ConnectWise substituted into the URL', () => {
    expect(readUrlTicket(new URLSearchParams('id=4711&screen=ticket'))).toEqual({ kind: 'id', id: 4711 });
  });

  it('recognises a literal [cw_id] as "not substituted"', () => {
    expect(readUrlTicket(new URLSearchParams('id=[cw_id]'))).toEqual({ kind: 'not_substituted' });
  });

  it('tells a missing id from one that is not a ticket id', () => {
    expect(readUrlTicket(new URLSearchParams(''))).toEqual({ kind: 'missing' });
    expect(readUrlTicket(new URLSearchParams('id=abc'))).toEqual({ kind: 'invalid', raw: 'abc' });
    expect(readUrlTicket(new URLSearchParams('id=0'))).toEqual({ kind: 'invalid', raw: '0' });
  });

  it('reads the screen lower-cased and ignores an unsubstituted [cw_screen]', () => {
    expect(readUrlScreen(new URLSearchParams('screen=Ticket'))).toBe('ticket');
    expect(readUrlScreen(new URLSearchParams('screen=[cw_screen]'))).toBeNull();
    expect(readUrlScreen(new URLSearchParams(''))).toBeNull();
  });
});
