/**
 * The simulated ConnectWise's data: one `Instance` per MSP login company, each holding records
 * in ConnectWise's own JSON shapes (so conditions, `fields=` and the handlers work on them
 * generically). Tests mutate it freely; `sim.reset()` rebuilds it from the seed.
 */

export type Level = 'None' | 'My' | 'All';

/** A JSON value as ConnectWise returns it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonRecord = { [key: string]: Json };

/** Records are ConnectWise-shaped JSON with a numeric id. */
export type CwRecord = JsonRecord & { id: number };

export type SecurityRoleSetting = {
  id: number;
  moduleIdentifier: string;
  moduleName: string;
  moduleDescription: string;
  moduleFunctionIdentifier: string;
  moduleFunctionName: string;
  moduleFunctionDescription: string;
  addLevel: Level;
  editLevel: Level;
  deleteLevel: Level;
  inquireLevel: Level;
  myAllFlag: boolean;
  reportFlag: boolean;
  restrictFlag: boolean;
  customFlag: boolean;
  sortOrder: number;
};

export type SecurityRole = { id: number; name: string; settings: SecurityRoleSetting[] };

/** An API member: authenticates with `company+publicKey:privateKey`. */
export type ApiMember = {
  id: number;
  identifier: string;
  firstName: string;
  lastName: string;
  email: string;
  publicKey: string;
  privateKey: string;
  securityRoleId: number;
  inactive: boolean;
};

/** A person who signs in to ConnectWise; the Hosted API hands the pod their memberHash. */
export type Member = {
  id: number;
  identifier: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Hashes ConnectWise currently accepts for this member (a new sign-in adds one). */
  memberHashes: string[];
  memberContext: string;
  securityRoleId: number;
  /** Service boards the member may see, or every board. */
  boards: number[] | 'all';
  /**
   * False: member answers omit `excludedServiceBoardIds` (a ConnectWise version that does not
   * send it; whether any does is UNCONFIRMED). Absent means true.
   */
  sendsExcludedBoards?: boolean;
  inactive: boolean;
  licenseClass: 'A' | 'C' | 'F' | 'X';
  title: string | null;
  timeZone: string;
};

/**
 * Where an instance answers. `any`: every host (the demo instance served over HTTP, and msw
 * tests that do not care about regions). Otherwise exact host names, compared lower-case.
 */
export type InstanceHosts =
  | { kind: 'any' }
  | { kind: 'fixed'; uiHost: string; apiHost: string };

export type HostedSetup = JsonRecord & { id: number };

export type Instance = {
  companyId: string;
  companyName: string;
  hosts: InstanceHosts;
  isCloud: boolean;
  /** As companyinfo reports it, ending in "/": "v4_6_release/" on-prem, "v2025_1/" cloud. */
  codebase: string;
  /** companyinfo's SiteUrl; null means "the host the request came to" (any-host instances). */
  siteUrl: string | null;
  versionCode: string;
  versionNumber: string;
  allowedOrigins: string;
  /** clientIds (GUIDs) this instance accepts in the `clientId` header; compared case-insensitively. */
  clientIds: string[];
  apiMembers: ApiMember[];
  members: Member[];
  securityRoles: SecurityRole[];
  boards: CwRecord[];
  /** Board statuses, each with `board: {id, name}`. */
  statuses: CwRecord[];
  tickets: CwRecord[];
  /** ServiceNote records with `ticketId`. */
  notes: CwRecord[];
  /** TimeEntry records (`chargeToId`, `chargeToType`). */
  timeEntries: CwRecord[];
  companies: CwRecord[];
  contacts: CwRecord[];
  configurations: CwRecord[];
  /** Which configurations are attached to which ticket. */
  ticketConfigurations: { ticketId: number; configurationId: number }[];
  agreements: CwRecord[];
  /** `service/priorities` (issue 12); absent = none set up. */
  priorities?: CwRecord[];
  /** `company/companies/statuses` (issue 12); absent = none set up. */
  companyStatuses?: CwRecord[];
  hostedSetups: HostedSetup[];
  /** `{id, screenId, name}` as GET system/connectWiseHostedScreens returns them. */
  hostedScreens: { id: number; screenId: number; name: string }[];
  /** Ids for records created through the API. */
  nextId: number;
  serverTimeZone: string;
};

export type World = {
  /** Instances keyed by lower-cased company id. */
  readonly instances: Map<string, Instance>;
  /** Case-insensitive lookup by login company id. */
  get(companyId: string): Instance | undefined;
  add(instance: Instance): void;
};

export function createWorld(instances: Instance[]): World {
  const map = new Map<string, Instance>();
  const world: World = {
    instances: map,
    get: (companyId) => map.get(companyId.toLowerCase()),
    add: (instance) => {
      map.set(instance.companyId.toLowerCase(), instance);
    },
  };
  for (const i of instances) world.add(i);
  return world;
}

/** True when an instance answers requests sent to this host (name without port, lower-case). */
export function instanceServesHost(instance: Instance, host: string, as: 'ui' | 'api' | 'either'): boolean {
  if (instance.hosts.kind === 'any') return true;
  const h = host.toLowerCase();
  if (as === 'ui') return h === instance.hosts.uiHost;
  if (as === 'api') return h === instance.hosts.apiHost;
  return h === instance.hosts.uiHost || h === instance.hosts.apiHost;
}
