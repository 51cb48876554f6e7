import { describe, expect, it } from 'vitest';
import { expandLinkTemplate, linkTemplateProblem } from '../../shared/pod-display.ts';

describe('configuration link templates (issue 12)', () => {
  it.each([
    ['https://rmm.example.com/device/{deviceIdentifier}'],
    ['https://rmm.example.com/search?serial={serialNumber}&tag={tagNumber}'],
    ['https://rmm.example.com:8443/d/{id}#{name}'],
  ])('accepts %s', (url) => expect(linkTemplateProblem(url)).toBeNull());

  it.each([
    ['http://rmm.example.com/{id}', 'links must start with https://'],
    ['javascript:alert({id})', 'links must start with https://'],
    ['https://{name}.example.com/', 'placeholders may not be in the host name'],
    ['https://rmm.example.com/{password}', 'unknown placeholder {password}'],
    ['not a url {id}', 'not a URL'],
  ])('refuses %s', (url, problem) => expect(linkTemplateProblem(url)).toBe(problem));

  it('URL-encodes every value and keeps the template’s host', () => {
    expect(expandLinkTemplate('https://rmm.example.com/device/{deviceIdentifier}?s={serialNumber}', { deviceIdentifier: 'CD DC/01?x=1#y', serialNumber: 'a&b' })).toBe(
      'https://rmm.example.com/device/CD%20DC%2F01%3Fx%3D1%23y?s=a%26b',
    );
  });

  it('gives no link when a placeholder has no value, or the template is unusable', () => {
    expect(expandLinkTemplate('https://rmm.example.com/{serialNumber}', { id: 1 })).toBeNull();
    expect(expandLinkTemplate('https://rmm.example.com/{serialNumber}', { serialNumber: '' })).toBeNull();
    expect(expandLinkTemplate('http://rmm.example.com/{id}', { id: 1 })).toBeNull();
    expect(expandLinkTemplate('https://rmm.example.com/{id}', { id: 802 })).toBe('https://rmm.example.com/802');
  });
});
