import type { ConnectionTestStep } from '../../shared/admin-api.ts';
import type { PodPermission, RoleAction, RoleLevel } from '../../shared/pod-permissions.ts';

/** A row of `system/securityRoles/{id}/settings` or `system/mySecurity`, as far as we read it. */
export type RoleSettingLike = {
  moduleIdentifier?: string | null | undefined;
  moduleName?: string | null | undefined;
  moduleFunctionIdentifier?: string | null | undefined;
  moduleFunctionName?: string | null | undefined;
  addLevel?: string | null | undefined;
  editLevel?: string | null | undefined;
  deleteLevel?: string | null | undefined;
  inquireLevel?: string | null | undefined;
};

/** What a probe GET told us: 403 is authoritative; anything but 2xx/403 proves nothing. */
export type ProbeOutcome = 'ok' | 'forbidden' | 'inconclusive' | 'not_run';

export type PermissionVerdict = {
  permission: PodPermission;
  status: 'granted' | 'missing' | 'unverified' | 'not_needed';
  /** Why, for the step's message. */
  reason: string;
};

/** Names and identifiers compare without case, spaces or punctuation ("Time & Expense" = "TimeExpense"). */
export function normaliseName(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function sameName(actual: string | null | undefined, candidates: readonly string[]): boolean {
  if (actual === null || actual === undefined || actual === '') return false;
  const a = normaliseName(actual);
  return candidates.some((c) => normaliseName(c) === a);
}

/**
 * The role row for a permission: module matched on identifier or name, and function on
 * identifier, name or an alias. The identifier strings are UNCONFIRMED, hence either.
 */
export function findSetting<T extends RoleSettingLike>(settings: readonly T[], permission: PodPermission): T | undefined {
  return settings.find(
    (s) =>
      (sameName(s.moduleIdentifier, [permission.module.identifier, permission.module.name]) ||
        sameName(s.moduleName, [permission.module.identifier, permission.module.name])) &&
      (sameName(s.moduleFunctionIdentifier, [permission.function.identifier, permission.function.name, ...permission.function.aliases]) ||
        sameName(s.moduleFunctionName, [permission.function.identifier, permission.function.name, ...permission.function.aliases])),
  );
}

const rank: Record<RoleLevel, number> = { None: 0, My: 1, All: 2 };

/** Reads a level leniently ("all", "ALL", "Mine" → My); unknown values count as None. */
export function parseLevel(value: string | null | undefined): RoleLevel {
  const v = (value ?? '').trim().toLowerCase();
  if (v === 'all') return 'All';
  if (v === 'my' || v === 'mine') return 'My';
  return 'None';
}

export function levelSatisfies(have: RoleLevel, need: RoleLevel, myAcceptable: boolean): boolean {
  if (rank[have] >= rank[need]) return true;
  return myAcceptable && need === 'All' && have === 'My';
}

const actionLabel: Record<RoleAction, string> = { add: 'Add', edit: 'Edit', delete: 'Delete', inquire: 'Inquire' };

const settingField: Record<RoleAction, keyof RoleSettingLike> = {
  add: 'addLevel',
  edit: 'editLevel',
  delete: 'deleteLevel',
  inquire: 'inquireLevel',
};

/** The actions whose level falls short, as "Inquire Level is My, needs All". */
export function shortfalls(setting: RoleSettingLike, permission: PodPermission): string[] {
  const out: string[] = [];
  for (const action of ['add', 'edit', 'delete', 'inquire'] as const) {
    const need = permission.needs[action];
    if (need === undefined || need === 'None') continue;
    const have = parseLevel(setting[settingField[action]]);
    if (!levelSatisfies(have, need, permission.myAcceptable)) {
      out.push(`${actionLabel[action]} Level is ${have}, needs ${need}`);
    }
  }
  return out;
}

/**
 * Compares what the role grants with what the pod needs, row by row. A probe's 403 wins over
 * anything the settings say; a role row that falls short is missing even when a probe
 * answered (a probe cannot tell `My` from `All`); a right neither listed nor probed is
 * unverified rather than guessed.
 */
export function judgePermissions(
  permissions: readonly PodPermission[],
  settings: readonly RoleSettingLike[] | null,
  probes: ReadonlyMap<string, ProbeOutcome>,
  options: { mySecurityAnswered?: boolean } = {},
): PermissionVerdict[] {
  return permissions.map((permission) => {
    if (options.mySecurityAnswered && permission.replacedByMySecurity) {
      return { permission, status: 'not_needed', reason: 'system/mySecurity answered instead' };
    }
    const probe = probes.get(permission.id) ?? 'not_run';
    const probePath = permission.probe?.path ?? '';
    if (probe === 'forbidden') {
      return { permission, status: 'missing', reason: `ConnectWise answered 403 Forbidden to GET ${probePath}` };
    }
    const setting = settings === null ? undefined : findSetting(settings, permission);
    if (setting !== undefined) {
      const short = shortfalls(setting, permission);
      if (short.length > 0) return { permission, status: 'missing', reason: `the role's ${short.join('; ')}` };
      return { permission, status: 'granted', reason: 'granted by the role' };
    }
    if (probe === 'ok') return { permission, status: 'granted', reason: `GET ${probePath} answered` };
    return {
      permission,
      status: 'unverified',
      reason:
        settings === null
          ? 'the role could not be read and no probe could decide'
          : 'the role lists no row by that name and no probe could decide',
    };
  });
}

/** The `permissions` step from the verdicts: required rights missing fail it, optional ones warn. */
export function permissionsStep(verdicts: readonly PermissionVerdict[], source: string): ConnectionTestStep {
  const missing = verdicts.filter((v) => v.status === 'missing');
  const missingRequired = missing.filter((v) => v.permission.required);
  const missingOptional = missing.filter((v) => !v.permission.required);
  const unverified = verdicts.filter((v) => v.status === 'unverified');
  const lines: string[] = [];
  if (missingRequired.length > 0) {
    lines.push(
      `The role lacks ${missingRequired.length === 1 ? 'a right' : `${missingRequired.length} rights`} the pod cannot work without: ` +
        missingRequired.map((v) => `${v.permission.module.name} › ${v.permission.function.name} (${v.reason})`).join('; ') +
        '.',
    );
  }
  if (missingOptional.length > 0) {
    lines.push(
      'Optional rights missing: ' +
        missingOptional.map((v) => `${v.permission.module.name} › ${v.permission.function.name} (${v.reason}) — ${v.permission.withoutIt}`).join(' ') ,
    );
  }
  if (unverified.length > 0) {
    lines.push(
      'Not verified: ' +
        unverified.map((v) => `${v.permission.module.name} › ${v.permission.function.name} (${v.reason})`).join('; ') +
        '.',
    );
  }
  const granted = verdicts.filter((v) => v.status === 'granted').length;
  const counted = verdicts.filter((v) => v.status !== 'not_needed').length;
  if (lines.length === 0 || (missing.length === 0 && unverified.length > 0)) {
    lines.unshift(`${granted} of ${counted} rights confirmed (${source}).`);
  }
  const unverifiedRequired = unverified.some((v) => v.permission.required);
  const status: ConnectionTestStep['status'] =
    missingRequired.length > 0 ? 'failed' : missingOptional.length > 0 || unverifiedRequired ? 'warning' : 'ok';
  const fix =
    missing.length > 0
      ? `In ConnectWise, set: ${missing.map((v) => v.permission.uiPath).join('; ')}. Then run the test again.`
      : unverifiedRequired
        ? 'Give the role System › Security Roles › Inquire Level = All so the test can read it, then run the test again.'
        : '';
  return {
    id: 'permissions',
    status,
    message: lines.join(' '),
    fix,
    ...(missing.length > 0 ? { missing: missing.map((v) => v.permission.uiPath) } : {}),
  };
}
