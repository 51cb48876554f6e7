import {
  BoardList,
  ConnectionTestResult,
  RegisterPodResult,
  TenantView,
  stepIds,
  type ConnectionTestStep,
  type StepId,
} from '../../../../shared/admin-api.ts';
import { podPermissions } from '../../../../shared/pod-permissions.ts';

/**
 * Admin API answers as the server builds them, parsed with the shared schemas so the
 * fixtures cannot drift from the contract.
 */

export const POD_ORIGIN = 'https://pod.example.com';

/** The Manage Hosted API add right "Register in ConnectWise" needs (from the data file). */
export const registerRight = podPermissions.find((p) => p.usedBy === 'register_pod' && p.needs.add !== undefined)!;

const okMessages: Record<StepId, string> = {
  site: 'na.myconnectwise.net answered over https.',
  company: 'Company "acme" (Acme MSP) found: cloud, v2024.1, codebase v2024_1/.',
  keys: 'The API keys were accepted (ConnectWise v2024.1).',
  client_id: 'ConnectWise accepted this tenant’s clientId.',
  api_member: 'API member "podapi" found (role "Pod API").',
  security_role: 'Security role "Pod API" read.',
  permissions: 'The role has every permission the pod needs.',
  boards: 'The API member can see 3 boards.',
  pod_registration: 'The pod is registered (setup #12).',
};

export function step(id: StepId, overrides: Partial<ConnectionTestStep> = {}): ConnectionTestStep {
  return { id, status: 'ok', message: okMessages[id], fix: '', ...overrides };
}

/** A test result; `steps` replaces the named steps of an all-ok run. */
export function testResult(
  changes: Partial<Record<StepId, Partial<ConnectionTestStep>>> = {},
  extra: Partial<ConnectionTestResult> = {},
): ConnectionTestResult {
  const steps = stepIds.map((id) => step(id, changes[id] ?? {}));
  return ConnectionTestResult.parse({
    ok: steps.every((s) => s.status !== 'failed'),
    ranAt: '2025-03-04T10:20:30.000Z',
    steps,
    server: { codebase: 'v2024_1/', version: 'v2024.1', isCloud: true, region: 'na' },
    ...extra,
  });
}

export const passingTest = () => testResult();

/** The role lacks the right to add Manage Hosted API rows (a warning: the pod still works). */
export const cannotRegisterTest = () =>
  testResult({
    permissions: {
      status: 'warning',
      message: 'The role lacks 1 optional right.',
      fix: 'Grant the rights listed, then run the test again.',
      missing: [registerRight.uiPath],
    },
  });

export const failingKeysTest = () =>
  testResult({
    keys: {
      status: 'failed',
      message: 'ConnectWise refused the API keys (401).',
      fix: 'Check the API member’s public and private keys (System › Members › API Members › <member> › API Keys).',
    },
    client_id: { status: 'skipped', message: 'Not checked: the API keys were refused.' },
    api_member: { status: 'skipped', message: 'Not checked: the API keys were refused.' },
    security_role: { status: 'skipped', message: 'Not checked: the API keys were refused.' },
    permissions: { status: 'skipped', message: 'Not checked: the API keys were refused.' },
    boards: { status: 'skipped', message: 'Not checked: the API keys were refused.' },
    pod_registration: { status: 'skipped', message: 'Not checked: the API keys were refused.' },
  });

function hostedApi(companyId: string) {
  const url = `${POD_ORIGIN}/hostedapis/connectwiseiframe/${encodeURIComponent(companyId)}?id=[cw_id]&screen=[cw_screen]`;
  return { description: 'Ticket context', screen: 'Service Ticket', origin: POD_ORIGIN, url, nilearUrl: `${url}&nilear=true`, podHeight: 900 };
}

export function tenantView(overrides: Partial<TenantView> = {}): TenantView {
  const companyId = overrides.companyId ?? 'acme';
  return TenantView.parse({
    companyId,
    siteInput: 'na.myconnectwise.net',
    site: { uiOrigin: 'https://na.myconnectwise.net', apiOrigin: 'https://api-na.myconnectwise.net', region: 'na', kind: 'cloud' },
    publicKey: '••••••••pub1',
    privateKey: '••••••••prv9',
    clientId: null,
    effectiveClientId: '6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4',
    apiMemberId: 'podapi',
    nilearOrigin: null,
    boardIds: [],
    createdAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-04T10:20:00.000Z',
    version: 3,
    lastTest: null,
    hostedApi: hostedApi(companyId),
    ...overrides,
  });
}

export function onPremiseTenant(overrides: Partial<TenantView> = {}): TenantView {
  return tenantView({
    companyId: 'contoso',
    siteInput: 'https://cw.contoso.example',
    site: { uiOrigin: 'https://cw.contoso.example', apiOrigin: 'https://cw.contoso.example', region: null, kind: 'on-premise' },
    ...overrides,
  });
}

export function registerResult(action: 'created' | 'updated' | 'unchanged', companyId = 'acme'): RegisterPodResult {
  return RegisterPodResult.parse({ action, setupId: 12, screenId: 3, values: hostedApi(companyId) });
}

export const boardList = (): BoardList =>
  BoardList.parse({
    boards: [
      { id: 1, name: 'Help Desk', inactive: false },
      { id: 4, name: 'Projects', inactive: false },
      { id: 7, name: 'Old Queue', inactive: true },
    ],
  });
