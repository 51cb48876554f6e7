import { podPermissions, type PodPermission } from '../../shared/pod-permissions.ts';

/**
 * The permission table as the docs print it, generated from shared/pod-permissions.ts: the
 * setup guide and the README must contain exactly these rows (their tests check), so the
 * docs, the console and the connection test cannot drift apart.
 */
const levels = (p: PodPermission) =>
  (['add', 'edit', 'delete', 'inquire'] as const)
    .filter((a) => p.needs[a] !== undefined)
    .map((a) => `${a[0]!.toUpperCase()}${a.slice(1)} = ${p.needs[a]}${a === 'inquire' && p.myAcceptable ? ' (My will do)' : ''}`)
    .join(', ');

/** One table row per permission. */
export function permissionRow(p: PodPermission): string {
  const customize = p.customize.length > 0 ? ` Customize: ${p.customize.join('; ')}.` : '';
  const probe = p.probe === null ? 'Register in ConnectWise reports it' : `GET ${p.probe.path}`;
  return `| ${p.module.name} › ${p.function.name} | ${levels(p)} | ${p.required ? 'Required' : 'Optional'} | ${p.why}${customize} | ${p.withoutIt} | ${probe} |`;
}

export const permissionTableHeader = [
  '| Module › Function | Level | Required? | Why the pod needs it | Without it | Proved by |',
  '|---|---|---|---|---|---|',
];

/** The table rows between `<!-- permissions:start -->` and `<!-- permissions:end -->` of a document. */
export function permissionRowsIn(doc: string): string[] | null {
  const start = doc.indexOf('<!-- permissions:start -->');
  const end = doc.indexOf('<!-- permissions:end -->');
  if (start === -1 || end <= start) return null;
  return doc
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Module'));
}

export const generatedPermissionRows = (): string[] => podPermissions.map(permissionRow);
