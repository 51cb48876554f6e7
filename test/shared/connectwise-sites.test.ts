import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConnectWiseSite,
  cloudLookAlike,
  cloudRegions,
  normaliseSite,
  regionOfHost,
  type RegionId,
  type SiteResult,
} from '../../shared/connectwise-sites.ts';

/** The site, or a failure that names the input: every accepted case must also be schema-valid. */
function site(input: string): ConnectWiseSite {
  const result = normaliseSite(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to be accepted, got: ${result.message}`);
  expect(ConnectWiseSite.safeParse(result.site).success).toBe(true);
  return result.site;
}

function refusal(input: string): string {
  const result = normaliseSite(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${JSON.stringify(result.site)}`);
  return result.message;
}

describe('normaliseSite: the ways an admin types a site', () => {
  it.each([
    [
      'a bare cloud UI host',
      'na.myconnectwise.net',
      { uiOrigin: 'https://na.myconnectwise.net', apiOrigin: 'https://api-na.myconnectwise.net', region: 'na', kind: 'cloud' },
    ],
    [
      'a cloud UI URL with a trailing slash',
      'https://eu.myconnectwise.net/',
      { uiOrigin: 'https://eu.myconnectwise.net', apiOrigin: 'https://api-eu.myconnectwise.net', region: 'eu', kind: 'cloud' },
    ],
    [
      'the full REST base URL of the api- host',
      'https://api-na.myconnectwise.net/v4_6_release/apis/3.0',
      { uiOrigin: 'https://na.myconnectwise.net', apiOrigin: 'https://api-na.myconnectwise.net', region: 'na', kind: 'cloud' },
    ],
    [
      'an on-premise host',
      'connect.mycompanydomain.com',
      { uiOrigin: 'https://connect.mycompanydomain.com', apiOrigin: 'https://connect.mycompanydomain.com', region: null, kind: 'on-premise' },
    ],
  ] as const)('turns %s (%j) into a UI origin and an API origin', (_what, input, expected) => {
    expect(site(input)).toEqual(expected);
  });

  const regionCases = cloudRegions.flatMap((r) => [
    [r.id, r.uiHost, r.uiHost, r.apiHost] as const,
    [r.id, r.apiHost, r.uiHost, r.apiHost] as const,
    [r.id, `https://${r.apiHost}/v4_6_release/apis/3.0/`, r.uiHost, r.apiHost] as const,
  ]);

  it.each(regionCases)('knows region %s from %j', (region, input, uiHost, apiHost) => {
    expect(site(input)).toEqual({ uiOrigin: `https://${uiHost}`, apiOrigin: `https://${apiHost}`, region, kind: 'cloud' });
  });

  it('covers every region the schema names', () => {
    expect(cloudRegions.map((r) => r.id).sort()).toEqual(['au', 'aus', 'eu', 'na', 'staging', 'za']);
  });

  it.each([
    ['NA.MYCONNECTWISE.NET', 'https://na.myconnectwise.net', 'https://api-na.myconnectwise.net'],
    ['HTTPS://API-EU.MyConnectWise.Net/V4_6_RELEASE', 'https://eu.myconnectwise.net', 'https://api-eu.myconnectwise.net'],
    ['Connect.MyCompanyDomain.COM', 'https://connect.mycompanydomain.com', 'https://connect.mycompanydomain.com'],
  ])('lower-cases the host of %j', (input, uiOrigin, apiOrigin) => {
    expect(site(input)).toMatchObject({ uiOrigin, apiOrigin });
  });

  it.each([
    ['  na.myconnectwise.net  ', 'https://na.myconnectwise.net'],
    ['\thttps://cw.example.com/\n', 'https://cw.example.com'],
  ])('ignores whitespace around %j', (input, uiOrigin) => {
    expect(site(input).uiOrigin).toBe(uiOrigin);
  });

  it.each([
    ['cw.example.com:8443', 'https://cw.example.com:8443'],
    ['https://cw.example.com:8443/v4_6_release/apis/3.0', 'https://cw.example.com:8443'],
    ['http://cw.example.com:8080', 'http://cw.example.com:8080'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://[::1]:4010/', 'http://[::1]:4010'],
    // The default port is no port.
    ['https://cw.example.com:443', 'https://cw.example.com'],
  ])('keeps the scheme and port of an on-premise site: %j', (input, origin) => {
    expect(site(input)).toEqual({ uiOrigin: origin, apiOrigin: origin, region: null, kind: 'on-premise' });
  });

  it.each([
    'na.myconnectwise.net:8443',
    'https://na.myconnectwise.net:444/',
    'http://na.myconnectwise.net',
    'http://api-na.myconnectwise.net:8080/v4_6_release/apis/3.0',
  ])('uses HTTPS on 443 for a cloud site whatever scheme or port was typed: %j', (input) => {
    expect(site(input)).toEqual({
      uiOrigin: 'https://na.myconnectwise.net',
      apiOrigin: 'https://api-na.myconnectwise.net',
      region: 'na',
      kind: 'cloud',
    });
  });

  it('drops the query, fragment and path of any site', () => {
    expect(site('https://cw.example.com/a/b?c=d#e')).toMatchObject({ uiOrigin: 'https://cw.example.com' });
  });

  it('treats a look-alike host that only contains a cloud name as on-premise, never as that region', () => {
    expect(site('https://na.myconnectwise.net.evil.com')).toEqual({
      uiOrigin: 'https://na.myconnectwise.net.evil.com',
      apiOrigin: 'https://na.myconnectwise.net.evil.com',
      region: null,
      kind: 'on-premise',
    });
  });
});

describe('normaliseSite: refusals say what was wrong', () => {
  it.each([
    ['empty', '', /Enter the ConnectWise site/],
    ['only whitespace', '   ', /Enter the ConnectWise site/],
    ['too long', `https://${'a'.repeat(300)}.com`, /too long \(300 characters at most\)/],
    ['not a URL (space in the host)', 'na myconnectwise net', /is not a web address/],
    ['a scheme with no host', 'https://', /is not a web address/],
    ['ftp:', 'ftp://na.myconnectwise.net', /Only https:\/\/ .* not ftp:\/\//],
    ['file:', 'file:///etc/passwd', /Only https:\/\/ .* not file:\/\//],
    ['javascript:', 'javascript:alert(1)', /not a web address|Only https:\/\//],
    ['a user name and password', 'https://admin:hunter2@cw.example.com', /Remove the user name and password/],
    ['a user name alone', 'https://admin@na.myconnectwise.net', /Remove the user name and password/],
    ['the bare api host', 'api.myconnectwise.net', /"api.myconnectwise.net" is not a ConnectWise cloud site; pick your region/],
    ['a host two labels deep in a cloud domain', 'a.b.myconnectwise.net', /"a.b.myconnectwise.net" is not a ConnectWise cloud site/],
    // Hosts the URL parser takes but no browser sends as an origin (issue 10 item 5).
    ['a wildcard host', 'https://*', /has characters no host name has/],
    ['a wildcard label', '*.example.com', /has characters no host name has/],
    ['a CSP separator', 'https://a;b.example', /has characters no host name has/],
    ['a CSP list separator', 'https://a,b.example', /has characters no host name has/],
    ['a quote', "https://a'b.example", /has characters no host name has/],
  ])('refuses %s', (_what, input, message) => {
    expect(refusal(input)).toMatch(message);
  });

  it('accepts exactly 300 characters', () => {
    const input = `${'a'.repeat(296)}.com`;
    expect(input).toHaveLength(300);
    expect(site(input).kind).toBe('on-premise');
  });

  it('never echoes a password it refuses', () => {
    expect(refusal('https://admin:hunter2@cw.example.com')).not.toContain('hunter2');
  });

  // "api-" with nothing after it would give a UI origin with an empty label, and "api-api"
  // a UI origin on the api host refused above: neither is a real cloud site.
  it.each(['api-.myconnectwise.net', 'https://api-api.myconnectwise.net'])(
    'refuses %j rather than inventing a UI host from it',
    (input) => {
      expect(refusal(input)).toMatch(/is not a ConnectWise cloud site/);
    },
  );
});

describe('regionOfHost', () => {
  it.each(cloudRegions.flatMap((r) => [[r.uiHost, r.id] as const, [r.apiHost, r.id] as const]))('%s is in %s', (host, region) => {
    expect(regionOfHost(host)).toBe(region);
  });

  it.each([
    ['API-NA.MyConnectWise.NET', 'na'],
    ['EU.MYCONNECTWISE.NET', 'eu'],
  ])('ignores case: %s is in %s', (host, region) => {
    expect(regionOfHost(host)).toBe(region);
  });

  it.each([
    'cw.example.com',
    'myconnectwise.net',
    'xx.myconnectwise.net',
    'na.myconnectwise.net.evil.com',
    'evil-na.myconnectwise.net',
    'api-api-na.myconnectwise.net',
    '',
  ])('%j is in no region', (host) => {
    expect(regionOfHost(host)).toBeNull();
  });

  it('returns the RegionId type', () => {
    expectTypeOf(regionOfHost).returns.toEqualTypeOf<RegionId | null>();
    expectTypeOf<RegionId>().toEqualTypeOf<'na' | 'eu' | 'au' | 'aus' | 'za' | 'staging'>();
    expectTypeOf<Extract<SiteResult, { ok: false }>>().toEqualTypeOf<{ ok: false; message: string }>();
  });
});

describe('short forms and look-alikes (issue 11 item 6)', () => {
  it.each(['na', 'eu', 'au', 'aus', 'za'] as const)('takes the bare word %j as its region', (id) => {
    const region = cloudRegions.find((r) => r.id === id)!;
    for (const input of [id, id.toUpperCase(), ` ${id} `, `https://${id}`, `https://${id}/`]) {
      expect(site(input)).toEqual({ uiOrigin: `https://${region.uiHost}`, apiOrigin: `https://${region.apiHost}`, region: id, kind: 'cloud' });
    }
  });

  it('keeps a host that only starts like a region (na.example.com, "nas") as on-premise', () => {
    expect(site('na.example.com').kind).toBe('on-premise');
    expect(site('nas').uiOrigin).toBe('https://nas');
  });

  it.each([
    ['na.myconnectwise.com', 'https://na.myconnectwise.net'],
    ['https://eu.myconnectwise.com/', 'https://eu.myconnectwise.net'],
    ['api-au.myconnectwise.com', 'https://au.myconnectwise.net'],
    ['za.myconnectwise.co.za', 'https://za.myconnectwise.net'],
  ])('suggests the .net cloud site for %j', (input, suggestion) => {
    expect(cloudLookAlike(input)).toBe(suggestion);
  });

  it.each(['na.myconnectwise.net', 'cw.example.com', 'xx.myconnectwise.com', 'eu'])('suggests nothing for %j', (input) => {
    expect(cloudLookAlike(input)).toBeNull();
  });
});
