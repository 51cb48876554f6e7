import type { HarnessConfig, HarnessMember, HarnessTicket } from '../../shared/harness-api.ts';
import type { Instance, World } from './world.ts';
import { demoCompanyId, demoForgedMemberHash, demoTechnician } from './demo.ts';
import { faultPresets } from './fault-presets.ts';

/** Roles other than the plain ones say what they lack, so a developer can pick a limited technician. */
function roleNote(instance: Instance, roleId: number): string {
  const name = instance.securityRoles.find((r) => r.id === roleId)?.name;
  return name === undefined || name === 'Technician' || name === 'Admin' ? '' : `; role: ${name}`;
}

/** Builds GET /__sim/harness-config from the current world. */
export function buildHarnessConfig(world: World, origins: { simulatorOrigin: string; podOrigin: string; nilearOrigin: string | null }): HarnessConfig {
  const instances = [...world.instances.values()];
  const members: HarnessMember[] = [];
  const tickets: HarnessTicket[] = [];
  for (const instance of instances) {
    for (const m of instance.members) {
      const hash = m.memberHashes[0];
      if (hash === undefined) continue;
      members.push({
        companyId: instance.companyId,
        identifier: m.identifier,
        name: `${m.firstName} ${m.lastName}`,
        email: m.email,
        memberHash: hash,
        memberContext: m.memberContext,
        valid: !m.inactive,
        inactive: m.inactive,
        note: m.inactive
          ? 'Inactive member: ConnectWise rejects the hash'
          : `${m.boards === 'all' ? 'Sees every board' : `Sees board${m.boards.length === 1 ? '' : 's'} ${m.boards.map((id) => String(instance.boards.find((b) => b.id === id)?.['name'] ?? id)).join(', ')} only`}${roleNote(instance, m.securityRoleId)}`,
      });
    }
    for (const t of instance.tickets) {
      const board = t['board'] as { id?: number; name?: string } | null;
      const company = t['company'] as { name?: string } | null;
      const status = t['status'] as { name?: string } | null;
      const priority = t['priority'] as { name?: string } | null;
      tickets.push({
        companyId: instance.companyId,
        id: t.id,
        summary: String(t['summary'] ?? ''),
        boardId: board?.id ?? 0,
        boardName: board?.name ?? '',
        companyName: company?.name ?? '',
        closed: t['closedFlag'] === true,
        ...(typeof status?.name === 'string' ? { statusName: status.name } : {}),
        ...(typeof priority?.name === 'string' ? { priorityName: priority.name } : {}),
      });
    }
  }
  const demo = world.get(demoCompanyId);
  if (demo !== undefined) {
    members.push({
      companyId: demo.companyId,
      identifier: demoTechnician.identifier,
      name: `${demoTechnician.firstName} ${demoTechnician.lastName} (forged hash)`,
      email: demoTechnician.email,
      memberHash: demoForgedMemberHash,
      memberContext: demoTechnician.memberContext,
      valid: false,
      inactive: false,
      note: 'Forged memberHash: ConnectWise answers 401',
    });
  }
  return {
    simulatorOrigin: origins.simulatorOrigin,
    podOrigin: origins.podOrigin,
    defaultPodUrl: `${origins.podOrigin}/hostedapis/connectwiseiframe/${demoCompanyId}?id=[cw_id]&screen=[cw_screen]`,
    defaultCompanyId: demoCompanyId,
    codebase: demo?.codebase ?? 'v4_6_release/',
    nilearOrigin: origins.nilearOrigin,
    instances: instances.map((i) => ({
      companyId: i.companyId,
      companyName: i.companyName,
      uiOrigin: i.hosts.kind === 'fixed' ? `https://${i.hosts.uiHost}` : null,
      apiOrigin: i.hosts.kind === 'fixed' ? `https://${i.hosts.apiHost}` : null,
      isCloud: i.isCloud,
      codebase: i.codebase,
    })),
    members,
    tickets,
    faultPresets,
  };
}
