import { describe, expect, it } from 'vitest';
import { hostedApiValues, isOurPodUrl, podOrigin } from '../../../server/admin/hosted-api-values.ts';

describe('the Hosted API values', () => {
  it('uses the bare origin of PUBLIC_URL and the pod path with ConnectWise tokens', () => {
    const v = hostedApiValues('https://pod.example.com', 'Acme');
    expect(v).toEqual({
      description: 'Ticket context',
      screen: 'Service Ticket',
      origin: 'https://pod.example.com',
      url: 'https://pod.example.com/hostedapis/connectwiseiframe/Acme?id=[cw_id]&screen=[cw_screen]',
      nilearUrl: 'https://pod.example.com/hostedapis/connectwiseiframe/Acme?id=[cw_id]&screen=[cw_screen]&nilear=true',
      podHeight: 900,
    });
  });

  it('drops a trailing slash or path from PUBLIC_URL', () => {
    expect(podOrigin('https://pod.example.com:8443/')).toBe('https://pod.example.com:8443');
  });

  it('keeps the description within ConnectWise’s 50 characters', () => {
    expect(hostedApiValues('https://p.example', 'x').description.length).toBeLessThanOrEqual(50);
  });
});

describe('recognising our own setup row', () => {
  const publicUrl = 'https://pod.example.com';
  it('matches our URL for the company, with any query and any company-id case', () => {
    expect(isOurPodUrl('https://pod.example.com/hostedapis/connectwiseiframe/acme?id=[cw_id]&screen=[cw_screen]', publicUrl, 'Acme')).toBe(true);
    expect(isOurPodUrl('https://pod.example.com/hostedapis/connectwiseiframe/ACME', publicUrl, 'acme')).toBe(true);
  });

  it('does not match another company whose id merely starts the same', () => {
    expect(isOurPodUrl('https://pod.example.com/hostedapis/connectwiseiframe/acme2?id=[cw_id]', publicUrl, 'acme')).toBe(false);
  });

  it('does not match another server or an unparseable URL', () => {
    expect(isOurPodUrl('https://other.example.com/hostedapis/connectwiseiframe/acme', publicUrl, 'acme')).toBe(false);
    expect(isOurPodUrl('not a url', publicUrl, 'acme')).toBe(false);
  });
});
