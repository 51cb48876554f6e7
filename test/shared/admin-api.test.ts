import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  ConnectionTestResult,
  ConnectionTestStep,
  StepId,
  TenantInput,
  TenantView,
  stepIds,
  type HostedApiValues,
} from '../../shared/admin-api.ts';
import type { ConnectWiseSite } from '../../shared/connectwise-sites.ts';

const create = {
  site: 'na.myconnectwise.net',
  publicKey: 'pubkey123',
  privateKey: 'privkey456',
  clientId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  apiMemberId: 'PodApi',
  nilearOrigin: 'https://mtx.example.com',
  boardIds: [1, 2, 3],
};

const issuePaths = (input: unknown) =>
  TenantInput.safeParse(input).error?.issues.map((i) => ({ path: i.path.join('.'), code: i.code })) ?? [];

describe('TenantInput', () => {
  it('accepts a full create', () => {
    expect(TenantInput.parse(create)).toEqual(create);
  });

  it('accepts an update that names only the site, keeping stored keys and settings', () => {
    expect(TenantInput.parse({ site: 'eu.myconnectwise.net', version: 3 })).toEqual({ site: 'eu.myconnectwise.net', version: 3 });
  });

  it.each(['clientId', 'apiMemberId', 'nilearOrigin'] as const)('accepts %s set to null (cleared)', (key) => {
    expect(TenantInput.parse({ site: 'x.example.com', [key]: null })[key]).toBeNull();
  });

  it.each([
    ['a misspelt key', { ...create, privatekey: 'x' }, 'privatekey'],
    ['a key the server sets itself', { ...create, createdAt: '2026-01-01' }, 'createdAt'],
    ['a companyId in the body (it comes from the path)', { ...create, companyId: 'acme' }, 'companyId'],
  ])('refuses %s instead of dropping it', (_what, input, key) => {
    const issues = TenantInput.safeParse(input).error?.issues ?? [];
    expect(issues.map((i) => i.code)).toContain('unrecognized_keys');
    expect(JSON.stringify(issues)).toContain(key);
  });

  it.each([
    ['no site', { publicKey: 'a' }, 'site'],
    ['an empty site', { site: '' }, 'site'],
    ['a site over 300 characters', { site: 'a'.repeat(301) }, 'site'],
    ['an empty public key', { site: 's', publicKey: '' }, 'publicKey'],
    ['an empty private key', { site: 's', privateKey: '' }, 'privateKey'],
    ['a private key over 200 characters', { site: 's', privateKey: 'k'.repeat(201) }, 'privateKey'],
    ['a clientId over 100 characters', { site: 's', clientId: 'c'.repeat(101) }, 'clientId'],
    ['version 0', { site: 's', version: 0 }, 'version'],
    ['a fractional version', { site: 's', version: 1.5 }, 'version'],
  ])('refuses %s', (_what, input, path) => {
    expect(issuePaths(input).map((i) => i.path)).toContain(path);
  });

  describe('nilearOrigin is an exact origin', () => {
    it.each(['https://mtx.example.com', 'https://mtx.example.com:8443', 'http://localhost:4010', 'http://127.0.0.1:4010'])(
      'accepts %j',
      (nilearOrigin) => {
        expect(TenantInput.parse({ site: 's', nilearOrigin }).nilearOrigin).toBe(nilearOrigin);
      },
    );

    // The same normaliser as the pod's protocol check: what is stored is what browsers send.
    it.each([
      ['a trailing slash', 'https://mtx.example.com/', 'https://mtx.example.com'],
      ['upper case', 'https://MTX.example.com', 'https://mtx.example.com'],
      ['the default port spelt out', 'https://mtx.example.com:443', 'https://mtx.example.com'],
      ['spaces around it', '  https://mtx.example.com ', 'https://mtx.example.com'],
    ])('stores %s in canonical form', (_what, nilearOrigin, stored) => {
      expect(TenantInput.parse({ site: 's', nilearOrigin }).nilearOrigin).toBe(stored);
    });

    it.each([
      ['a wildcard host', 'https://*'],
      ['a wildcard label', 'https://*.example.com'],
      ['a wildcard port', 'https://mtx.example.com:*'],
      ['a path', 'https://mtx.example.com/app'],
      ['a query', 'https://mtx.example.com?x=1'],
      ['an empty query', 'https://mtx.example.com?'],
      ['a fragment', 'https://mtx.example.com#x'],
      ['a CSP separator ";"', 'https://a;b.example'],
      ['a CSP list separator ","', 'https://a.example,https://b.example'],
      ['a space inside', 'https://mtx.example.com https://evil.example'],
      ['a tab inside', 'https://mtx.\texample.com'],
      ['a percent-escape', 'https://mtx%2eexample.com'],
      ['a full-width letter', 'https://ｍtx.example.com'],
      ['a backslash', 'https:\\mtx.example.com'],
      ['no "//"', 'https:mtx.example.com'],
      ['a host ending in a dot', 'https://mtx.example.com.'],
      ['a user name alone', 'https://u@mtx.example.com'],
      ['a bare host', 'mtx.example.com'],
      ['credentials', 'https://u:p@mtx.example.com'],
      ['ftp:', 'ftp://mtx.example.com'],
      ['javascript:', 'javascript:alert(1)'],
      ['data:', 'data:text/html,hi'],
      ['"null"', 'null'],
      ['the empty string', ''],
      ['over 300 characters', `https://${'a'.repeat(300)}.com`],
    ])('refuses %s', (_what, nilearOrigin) => {
      const issues = TenantInput.safeParse({ site: 's', nilearOrigin }).error?.issues ?? [];
      expect(issues.map((i) => i.path.join('.'))).toEqual(['nilearOrigin']);
    });

    it('says what an exact origin is', () => {
      const issue = TenantInput.safeParse({ site: 's', nilearOrigin: 'https://mtx.example.com/app' }).error?.issues[0];
      expect(issue?.message).toMatch(/exact origin.*no path, query, wildcard or user name/);
    });
  });

  describe('boardIds', () => {
    it.each([
      ['none (all boards)', []],
      ['one', [1]],
      ['500', Array.from({ length: 500 }, (_, i) => i + 1)],
    ])('accepts %s', (_what, boardIds) => {
      expect(TenantInput.parse({ site: 's', boardIds }).boardIds).toEqual(boardIds);
    });

    it.each([
      ['501 boards', Array.from({ length: 501 }, (_, i) => i + 1)],
      ['board 0', [0]],
      ['a negative board', [-1]],
      ['a fractional board', [1.5]],
      ['a board id as a string', ['1']],
      ['a bare number', 1],
    ])('refuses %s', (_what, boardIds) => {
      expect(issuePaths({ site: 's', boardIds }).map((i) => i.path)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^boardIds/)]),
      );
    });
  });

  it('types every key but site as optional', () => {
    expectTypeOf<TenantInput>().toEqualTypeOf<{
      site: string;
      publicKey?: string | undefined;
      privateKey?: string | undefined;
      clientId?: string | null | undefined;
      apiMemberId?: string | null | undefined;
      nilearOrigin?: string | null | undefined;
      boardIds?: number[] | undefined;
      sectionAccess?: 'technician' | 'apiMember' | undefined;
      podDisplay?: { colorScheme: 'light' | 'system'; linkTemplates: { label: string; url: string }[] } | undefined;
      version?: number | undefined;
      extraOrigins?: string[] | undefined;
    }>();
  });
});

describe('ConnectionTestStep', () => {
  const step = { id: 'permissions', status: 'failed', message: 'The role lacks 2 permissions.', fix: 'Add them.', missing: ['Service Desk › Service Tickets › Inquire'] };

  it('accepts a step with its missing permissions', () => {
    expect(ConnectionTestStep.parse(step)).toEqual(step);
  });

  it.each(['ok', 'failed', 'warning', 'skipped'])('accepts status %j', (status) => {
    expect(ConnectionTestStep.safeParse({ ...step, status }).success).toBe(true);
  });

  it.each([
    ['an unknown step', { ...step, id: 'dns' }],
    ['an unknown status', { ...step, status: 'pending' }],
    ['no fix (empty when nothing is needed, never absent)', { ...step, fix: undefined }],
    ['missing permissions as one string', { ...step, missing: 'Inquire' }],
  ])('refuses %s', (_what, input) => {
    expect(ConnectionTestStep.safeParse(input).success).toBe(false);
  });

  it('runs the steps in their documented order', () => {
    expect(stepIds).toEqual(['site', 'company', 'keys', 'client_id', 'api_member', 'security_role', 'permissions', 'boards', 'pod_registration']);
    expect(StepId.options).toEqual(stepIds);
  });

  it('accepts a result with its server details', () => {
    const result = { ok: false, ranAt: '2026-11-23T13:00:00Z', steps: [step], server: { codebase: 'v4_6_release/', version: 'v2025.1', isCloud: true, region: null } };
    expect(ConnectionTestResult.parse(result)).toEqual(result);
  });
});

describe('TenantView', () => {
  const hostedApi = {
    description: 'Ticket pod',
    screen: 'Service Ticket',
    origin: 'https://pod.example.com',
    url: 'https://pod.example.com/hostedapis/connectwiseiframe/acme?id=[cw_id]&screen=[cw_screen]',
    nilearUrl: 'https://pod.example.com/hostedapis/connectwiseiframe/acme?id=[cw_id]&screen=[cw_screen]&nilear=true',
    podHeight: 600,
  } satisfies HostedApiValues;
  const view = {
    companyId: 'acme',
    siteInput: 'na.myconnectwise.net',
    site: { uiOrigin: 'https://na.myconnectwise.net', apiOrigin: 'https://api-na.myconnectwise.net', region: 'na', kind: 'cloud' },
    publicKey: '••••••••y123',
    privateKey: '••••••••y456',
    clientId: null,
    effectiveClientId: 'server-client-id',
    apiMemberId: null,
    nilearOrigin: null,
    boardIds: [],
    sectionAccess: 'technician',
    createdAt: '2026-11-23T13:00:00Z',
    updatedAt: '2026-11-23T13:00:00Z',
    version: 1,
    lastTest: null,
    hostedApi,
  } as const;

  it('accepts a tenant view with masked keys', () => {
    // A server that predates issues 10 and 11 sends none of these: each reads as its default.
    expect(TenantView.parse(view)).toEqual({ ...view, sectionAccess: 'technician', extraOrigins: [], refusedOrigins: [] });
  });

  it('accepts extra and refused origins', () => {
    const refused = { origin: 'https://cw2.example.com', firstSeen: '2026-11-23T13:00:00Z', lastSeen: '2026-11-23T14:00:00Z', count: 3 };
    const full = { ...view, sectionAccess: 'technician', extraOrigins: ['https://cw.example.com'], refusedOrigins: [refused] };
    expect(TenantView.parse(full)).toEqual(full);
  });

  it.each([
    ['a site that is not a ConnectWiseSite', { ...view, site: 'na.myconnectwise.net' }],
    ['an unknown region', { ...view, site: { ...view.site, region: 'us' } }],
    ['hosted API values for another screen', { ...view, hostedApi: { ...hostedApi, screen: 'Company' } }],
    ['no version', { ...view, version: undefined }],
    ['clientId left out rather than null', { ...view, clientId: undefined }],
  ])('refuses %s', (_what, input) => {
    expect(TenantView.safeParse(input).success).toBe(false);
  });

  it('types the site as the shared ConnectWiseSite', () => {
    expectTypeOf<TenantView['site']>().toEqualTypeOf<ConnectWiseSite>();
    expectTypeOf<z.output<typeof TenantView>['lastTest']>().toEqualTypeOf<ConnectionTestResult | null>();
  });
});

describe('TenantInput.extraOrigins (issue 11)', () => {
  it('accepts up to ten exact origins', () => {
    const extraOrigins = Array.from({ length: 10 }, (_, i) => `https://cw${i}.example.com`);
    expect(TenantInput.parse({ site: 's', extraOrigins }).extraOrigins).toEqual(extraOrigins);
  });

  it('refuses an eleventh', () => {
    const extraOrigins = Array.from({ length: 11 }, (_, i) => `https://cw${i}.example.com`);
    expect(TenantInput.safeParse({ site: 's', extraOrigins }).success).toBe(false);
  });

  it.each(['cw.example.com', '*', 'null', 'https://*.example.com', 'https://cw.example.com/path'])('refuses %j', (origin) => {
    const issue = TenantInput.safeParse({ site: 's', extraOrigins: [origin] }).error?.issues[0];
    expect(issue?.path).toEqual(['extraOrigins', 0]);
    expect(issue?.message).toMatch(/exact origin/);
  });

  // The one exact-origin normaliser (shared/origins.ts) decides: what the browser would send
  // for the same address is stored, in the form the browser sends it.
  it.each([
    ['https://cw.example.com/', 'https://cw.example.com'],
    ['https://CW.example.com', 'https://cw.example.com'],
    ['https://cw.example.com:443', 'https://cw.example.com'],
  ])('stores %j as %j', (origin, stored) => {
    expect(TenantInput.parse({ site: 's', extraOrigins: [origin] }).extraOrigins).toEqual([stored]);
  });
});
