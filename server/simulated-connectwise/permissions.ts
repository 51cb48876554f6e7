import type { Caller } from './auth.ts';
import type { SecurityFunctionKey } from './fixtures/security.ts';
import type { Level } from './world.ts';

export type Action = 'add' | 'edit' | 'delete' | 'inquire';

/** The level the caller's security role grants for one function; no row means "None". */
export function levelFor(caller: Caller, key: SecurityFunctionKey, action: Action): Level {
  const [moduleIdentifier, functionIdentifier] = key.split('/');
  const row = caller.role?.settings.find(
    (s) => s.moduleIdentifier === moduleIdentifier && s.moduleFunctionIdentifier === functionIdentifier,
  );
  if (row === undefined) return 'None';
  return action === 'add' ? row.addLevel : action === 'edit' ? row.editLevel : action === 'delete' ? row.deleteLevel : row.inquireLevel;
}

/** The caller's identifier as it appears in `owner.identifier` and `resources`. */
export function callerIdentifier(caller: Caller): string {
  return caller.kind === 'api' ? caller.apiMember.identifier : caller.member.identifier;
}

/** Boards a member may see; API members see every board their role allows. */
export function visibleBoards(caller: Caller): number[] | 'all' {
  return caller.kind === 'member' ? caller.member.boards : 'all';
}
