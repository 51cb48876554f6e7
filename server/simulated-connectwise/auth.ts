import type { SimCall } from '../../shared/harness-api.ts';
import type { ApiMember, Instance, Member, SecurityRole, World } from './world.ts';
import { instanceServesHost } from './world.ts';

/**
 * Who is calling, as ConnectWise would decide it (reference §3.1, §4.2):
 * - API members: `Authorization: Basic base64("<company>+<publicKey>:<privateKey>")`;
 * - members (what the Hosted API hands a pod): the cookie form
 *   `companyName=…; memberId=…; memberHash=…; memberContext=…` (fails without memberContext),
 *   or Basic `base64("<company>+<memberId>:<memberHash>")`;
 * - and on every REST call a `clientId` header the instance accepts.
 */
export type Caller =
  | { kind: 'api'; instance: Instance; apiMember: ApiMember; role: SecurityRole | undefined }
  | { kind: 'member'; form: 'cookie' | 'basic'; instance: Instance; member: Member; role: SecurityRole | undefined };

export type AuthKind = SimCall['auth'];

export type AuthResult = { ok: true; caller: Caller; authKind: AuthKind } | { ok: false; authKind: AuthKind; message: string };

type Credentials =
  | { form: 'basic'; company: string; user: string; secret: string }
  | { form: 'cookie'; company: string; user: string; secret: string; context: string | undefined }
  | { form: 'none' };

function decodeBase64(value: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  return Buffer.from(value, 'base64').toString('utf8');
}

function lenientDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function parseCookies(header: string): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

function readCredentials(headers: Headers): Credentials {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const m = /^Basic\s+(\S+)$/i.exec(authorization.trim());
    const decoded = m?.[1] === undefined ? null : decodeBase64(m[1]);
    if (decoded === null) return { form: 'none' };
    const colon = decoded.indexOf(':');
    const userPart = colon < 0 ? decoded : decoded.slice(0, colon);
    const plus = userPart.indexOf('+');
    if (colon < 0 || plus <= 0) return { form: 'none' };
    return { form: 'basic', company: userPart.slice(0, plus), user: userPart.slice(plus + 1), secret: decoded.slice(colon + 1) };
  }
  const cookie = headers.get('cookie');
  if (cookie !== null) {
    const c = parseCookies(cookie);
    const company = c.get('companyName');
    const user = c.get('memberId');
    const secret = c.get('memberHash');
    if (company !== undefined && user !== undefined && secret !== undefined) {
      const context = c.get('memberContext');
      return { form: 'cookie', company, user, secret, context: context === '' ? undefined : context };
    }
  }
  return { form: 'none' };
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Resolves and checks the caller. Messages say which check failed, never what was sent. */
export function authenticate(request: Request, world: World): AuthResult {
  const creds = readCredentials(request.headers);
  if (creds.form === 'none') return { ok: false, authKind: 'none', message: 'No credentials were supplied.' };

  const host = new URL(request.url).hostname.toLowerCase();
  const instance = world.get(lenientDecode(creds.company));
  const apiMember =
    creds.form === 'basic' ? instance?.apiMembers.find((a) => a.publicKey === creds.user) : undefined;
  const authKind: AuthKind = creds.form === 'cookie' ? 'member-cookie' : apiMember !== undefined ? 'api' : instance?.members.some((m) => sameText(m.identifier, creds.user)) ? 'member-basic' : 'api';
  const fail = (message: string): AuthResult => ({ ok: false, authKind, message });

  if (instance === undefined) return fail('Authentication failed: unknown company.');
  if (!instanceServesHost(instance, host, authKind === 'api' ? 'api' : 'either')) {
    // ConnectWise cloud regions do not share credentials: keys of an EU company are refused on api-na.
    return fail('Authentication failed for this site.');
  }
  const clientId = request.headers.get('clientid');
  if (clientId === null || clientId.trim() === '') return fail('A clientId header is required.');
  if (!instance.clientIds.some((id) => sameText(id, clientId.trim()))) return fail('The clientId is not recognised.');

  const role = (id: number) => instance.securityRoles.find((r) => r.id === id);
  if (authKind === 'api') {
    if (apiMember === undefined || apiMember.privateKey !== creds.secret || apiMember.inactive) return fail('Authentication failed.');
    return { ok: true, authKind, caller: { kind: 'api', instance, apiMember, role: role(apiMember.securityRoleId) } };
  }

  const userId = creds.form === 'cookie' ? lenientDecode(creds.user) : creds.user;
  const hash = creds.form === 'cookie' ? creds.secret : creds.secret;
  const member = instance.members.find((m) => sameText(m.identifier, userId));
  if (member === undefined || member.inactive) return fail('Authentication failed.');
  if (!member.memberHashes.includes(hash) && !member.memberHashes.includes(lenientDecode(hash))) return fail('Authentication failed.');
  if (creds.form === 'cookie') {
    // Observed by the hardened TicketWise fork: the cookie check fails without memberContext.
    if (creds.context === undefined) return fail('Authentication failed: memberContext is missing.');
    if (creds.context !== member.memberContext && lenientDecode(creds.context) !== member.memberContext) return fail('Authentication failed.');
  }
  return {
    ok: true,
    authKind,
    caller: { kind: 'member', form: creds.form === 'cookie' ? 'cookie' : 'basic', instance, member, role: role(member.securityRoleId) },
  };
}

/** The kind of credentials a request carries, for the call log of requests a fault answered. */
export function authKindOf(request: Request, world: World): AuthKind {
  return authenticate(request, world).authKind;
}
