import * as z from 'zod/mini';

/**
 * The ConnectWise security-role rights the pod's API member needs: one list, read by the
 * connection test (server/admin/), the admin console and docs/connectwise-setup.md, so the
 * three cannot drift (test/server/admin/setup-guide.test.ts checks the guide against it).
 *
 * Facts and guesses (see docs/connectwise.md §5.3, §5.4):
 * - Levels are `None` | `My` | `All` per Add / Edit / Delete / Inquire.
 * - Module and function NAMES are the ones the security-role screen shows, as vendor guides
 *   quote them (Thread, ImmyBot, Cyberfox, N-able, MSPBackups).
 * - The `moduleIdentifier` / `moduleFunctionIdentifier` strings the REST API returns are
 *   UNCONFIRMED: ours are best guesses. A role row matches a permission on the identifier OR
 *   the name (or an alias), compared without case, spaces or punctuation; the probes (a 403
 *   is authoritative) decide where the names fail us.
 */

export const RoleLevel = z.enum(['None', 'My', 'All']);
export type RoleLevel = z.infer<typeof RoleLevel>;

export const RoleAction = z.enum(['add', 'edit', 'delete', 'inquire']);
export type RoleAction = z.infer<typeof RoleAction>;

/** What proves the right without writing anything: a GET that answers 403 when it is missing. */
export const PermissionProbe = z.object({
  /** Relative to the REST base, e.g. "service/tickets/count". `{ticketId}` = any ticket the member can see. */
  path: z.string(),
  searchParams: z.record(z.string(), z.string()),
});
export type PermissionProbe = z.infer<typeof PermissionProbe>;

/**
 * The parts of the ticket view a technician's own role must grant (issue 10). The server
 * reads the technician's rights (system/mySecurity, as the member) and shows a section only
 * when a row of this table that names it grants the technician at least `My`.
 */
export const PodSection = z.enum(['notes', 'time', 'contact', 'configurations', 'agreements', 'otherOpenTickets']);
export type PodSection = z.infer<typeof PodSection>;

export const PodPermission = z.object({
  /** Stable key, used in tests and the console. */
  id: z.string(),
  module: z.object({
    /** Best guess at `moduleIdentifier` (UNCONFIRMED). */
    identifier: z.string(),
    /** As the security-role screen shows it (`moduleName`). */
    name: z.string(),
  }),
  function: z.object({
    /** Best guess at `moduleFunctionIdentifier` (UNCONFIRMED). */
    identifier: z.string(),
    /** As the security-role screen shows it (`moduleFunctionName`). */
    name: z.string(),
    /** Other names the function has gone by in some versions; matched too. */
    aliases: z.array(z.string()),
  }),
  /** The least level needed per action; actions not named here may stay `None`. */
  needs: z.object({
    add: z.optional(RoleLevel),
    edit: z.optional(RoleLevel),
    delete: z.optional(RoleLevel),
    inquire: z.optional(RoleLevel),
  }),
  /** True when `My` would do where `All` is listed (the pod sees fewer records, but works). */
  myAcceptable: z.boolean(),
  /** The clicks that grant it, from System › Security Roles. */
  uiPath: z.string(),
  /** Why the pod needs it, in an admin's words. */
  why: z.string(),
  /** Required: the pod (or its setup) does not work without it. Optional: one part is hidden or done by hand. */
  required: z.boolean(),
  /** Who uses it: the pod's ticket view, the connection test, or "Register in ConnectWise". */
  usedBy: z.enum(['pod', 'connection_test', 'register_pod']),
  /** What is hidden, and why, when an optional right is missing. */
  withoutIt: z.string(),
  /**
   * True for rights the connection test only uses to read the API member and its role: when
   * `system/mySecurity` (the keys' own effective rights) answers, they are not needed.
   */
  replacedByMySecurity: z.boolean(),
  /** Entries to tick under the function's "Customize" link (Table Setup, Configurations). */
  customize: z.array(z.string()),
  probe: z.nullable(PermissionProbe),
  /**
   * The view sections this right gates for the technician (not the API member). Where
   * several rows name a section, the most restrictive row found in the technician's rights
   * decides (Service Ticket Notes may be set apart from Service Tickets in some versions).
   */
  sections: z.array(PodSection),
  /** How the console and the pod name what the section shows ("ticket notes"). */
  sectionLabel: z.optional(z.string()),
});
export type PodPermission = z.infer<typeof PodPermission>;

const rolePath = 'System › Security Roles › <role>';

export const podPermissions: readonly PodPermission[] = [
  {
    id: 'service_tickets',
    module: { identifier: 'ServiceDesk', name: 'Service Desk' },
    function: { identifier: 'ServiceTickets', name: 'Service Tickets', aliases: ['Service Ticket'] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › Service Desk › Service Tickets › Inquire Level = All`,
    why: 'Reads the ticket the pod is opened on, and the company’s other open tickets.',
    required: true,
    usedBy: 'pod',
    withoutIt: 'The pod cannot show any ticket.',
    replacedByMySecurity: false,
    customize: [],
    probe: { path: 'service/tickets/count', searchParams: {} },
    sections: ['otherOpenTickets', 'notes'],
    sectionLabel: 'service tickets',
  },
  {
    id: 'service_notes',
    module: { identifier: 'ServiceDesk', name: 'Service Desk' },
    function: {
      identifier: 'ServiceTicketNotes',
      name: 'Service Ticket Notes',
      aliases: ['Service Notes', 'Ticket Notes', 'Service Tickets - Notes'],
    },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › Service Desk › Service Ticket Notes › Inquire Level = All (where your version lists notes separately from Service Tickets)`,
    why: 'Reads the ticket’s discussion, internal and resolution notes.',
    required: false,
    usedBy: 'pod',
    withoutIt: 'The Notes section is hidden with "your role cannot read ticket notes".',
    replacedByMySecurity: false,
    customize: [],
    probe: { path: 'service/tickets/{ticketId}/notes', searchParams: { pageSize: '1' } },
    sections: ['notes'],
    sectionLabel: 'ticket notes',
  },
  {
    id: 'companies',
    module: { identifier: 'Company', name: 'Companies' },
    function: { identifier: 'CompanyMaintenance', name: 'Company Maintenance', aliases: [] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › Companies › Company Maintenance › Inquire Level = All`,
    why: 'Reads the ticket’s company: status, type, phone, address, territory.',
    required: true,
    usedBy: 'pod',
    withoutIt: 'The Company section is hidden.',
    replacedByMySecurity: false,
    customize: [],
    probe: { path: 'company/companies', searchParams: { pageSize: '1', fields: 'id' } },
    sections: [],
  },
  {
    id: 'contacts',
    module: { identifier: 'Company', name: 'Companies' },
    function: { identifier: 'Contacts', name: 'Contacts', aliases: [] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › Companies › Contacts › Inquire Level = All`,
    why: 'Reads the ticket’s contact and their phone numbers and e-mail addresses.',
    required: false,
    usedBy: 'pod',
    withoutIt: 'The Contact section is hidden with "your role cannot read contacts".',
    replacedByMySecurity: false,
    customize: [],
    probe: { path: 'company/contacts', searchParams: { pageSize: '1', fields: 'id' } },
    sections: ['contact'],
    sectionLabel: 'contacts',
  },
  {
    id: 'configurations',
    module: { identifier: 'Company', name: 'Companies' },
    function: { identifier: 'Configurations', name: 'Configurations', aliases: [] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › Companies › Configurations › Inquire Level = All`,
    why: 'Reads the devices (configurations) attached to the ticket.',
    required: false,
    usedBy: 'pod',
    withoutIt: 'The Configurations section is hidden with "your role cannot read configurations".',
    replacedByMySecurity: false,
    customize: ['Every configuration type technicians attach to tickets (or leave the list unrestricted)'],
    probe: { path: 'company/configurations', searchParams: { pageSize: '1', fields: 'id' } },
    sections: ['configurations'],
    sectionLabel: 'configurations',
  },
  {
    id: 'agreements',
    module: { identifier: 'Finance', name: 'Finance' },
    function: { identifier: 'Agreements', name: 'Agreements', aliases: [] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › Finance › Agreements › Inquire Level = All`,
    why: "Lists the company's active agreements when a technician asks for them.",
    required: false,
    usedBy: 'pod',
    withoutIt: "The ticket's own agreement still shows; the company's list says your role cannot read agreements.",
    replacedByMySecurity: false,
    customize: [],
    probe: { path: 'finance/agreements', searchParams: { pageSize: '1', fields: 'id' } },
    sections: ['agreements'],
    sectionLabel: 'agreements',
  },
  {
    id: 'time_entries',
    module: { identifier: 'TimeExpense', name: 'Time & Expense' },
    function: { identifier: 'TimeEntry', name: 'Time Entry', aliases: ['Time Entries'] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › Time & Expense › Time Entry › Inquire Level = All`,
    why: 'Shows the time already logged on the ticket, and by whom.',
    required: false,
    usedBy: 'pod',
    withoutIt: 'The Time section is hidden with "your role cannot read time entries".',
    replacedByMySecurity: false,
    customize: [],
    probe: { path: 'time/entries', searchParams: { pageSize: '1', fields: 'id' } },
    sections: ['time'],
    sectionLabel: 'time entries',
  },
  {
    id: 'member_maintenance',
    module: { identifier: 'System', name: 'System' },
    function: { identifier: 'MemberMaintenance', name: 'Member Maintenance', aliases: ['Members'] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › System › Member Maintenance › Inquire Level = All`,
    why: 'Lets the connection test find the API member and its security role.',
    required: false,
    usedBy: 'connection_test',
    withoutIt: 'Usually nothing: the test reads the API member’s own rights through system/mySecurity instead.',
    replacedByMySecurity: true,
    customize: [],
    probe: { path: 'system/members', searchParams: { pageSize: '1', fields: 'id' } },
    sections: [],
  },
  {
    id: 'security_roles',
    module: { identifier: 'System', name: 'System' },
    function: { identifier: 'SecurityRoles', name: 'Security Roles', aliases: ['Security'] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › System › Security Roles › Inquire Level = All`,
    why: 'Lets the connection test read this role and name each missing right.',
    required: false,
    usedBy: 'connection_test',
    withoutIt: 'Usually nothing: the test reads the API member’s own rights through system/mySecurity instead.',
    replacedByMySecurity: true,
    customize: [],
    probe: { path: 'system/securityRoles', searchParams: { pageSize: '1', fields: 'id' } },
    sections: [],
  },
  {
    id: 'table_setup',
    module: { identifier: 'System', name: 'System' },
    function: { identifier: 'TableSetup', name: 'Table Setup', aliases: ['Setup Tables'] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › System › Table Setup › Inquire Level = All (Customize: Service / Service Board, General / Manage Hosted API)`,
    why: 'Lists the service boards (the console’s board filter) and lets the test read the pod’s setup row.',
    required: false,
    usedBy: 'connection_test',
    withoutIt: 'The console cannot list boards; the board filter takes ids typed by hand.',
    replacedByMySecurity: false,
    customize: ['Service / Service Board', 'General / Manage Hosted API'],
    probe: { path: 'service/boards', searchParams: { pageSize: '1', fields: 'id' } },
    sections: [],
  },
  {
    id: 'hosted_api_inquire',
    module: { identifier: 'System', name: 'System' },
    function: { identifier: 'ManageHostedApi', name: 'Manage Hosted API', aliases: ['Hosted API', 'Manage Hosted APIs'] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › System › Manage Hosted API › Inquire Level = All`,
    why: 'Lets the connection test check that the pod is registered with the right URL, origin and height.',
    required: false,
    usedBy: 'connection_test',
    withoutIt: 'The connection test cannot check the pod’s registration; check System › Setup Tables › Manage Hosted API by hand.',
    replacedByMySecurity: false,
    customize: [],
    probe: { path: 'system/connectwisehostedsetups', searchParams: { pageSize: '1', fields: 'id' } },
    sections: [],
  },
  {
    id: 'hosted_api_write',
    module: { identifier: 'System', name: 'System' },
    function: { identifier: 'ManageHostedApi', name: 'Manage Hosted API', aliases: ['Hosted API', 'Manage Hosted APIs'] },
    needs: { add: 'All', edit: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › System › Manage Hosted API › Add Level = All, Edit Level = All`,
    why: 'Lets "Register in ConnectWise" create or update the pod’s setup row for you.',
    required: false,
    usedBy: 'register_pod',
    withoutIt: 'Register the pod by hand in System › Setup Tables › Manage Hosted API (the console shows the exact values).',
    replacedByMySecurity: false,
    customize: [],
    // Adding cannot be proved without writing; "Register in ConnectWise" reports a 403 itself.
    probe: null,
    sections: [],
  },
  {
    id: 'api_reports',
    module: { identifier: 'System', name: 'System' },
    function: { identifier: 'ApiReports', name: 'API Reports', aliases: ['Api Reports'] },
    needs: { inquire: 'All' },
    myAcceptable: false,
    uiPath: `${rolePath} › System › API Reports › Inquire Level = All`,
    why: 'Lets "Register in ConnectWise" find the Service Ticket screen on versions that lack system/connectWiseHostedScreens.',
    required: false,
    usedBy: 'register_pod',
    withoutIt: 'On older versions, register the pod by hand (Screen = Service Ticket).',
    replacedByMySecurity: false,
    customize: [],
    probe: { path: 'system/reports/ConnectWiseHostedApiScreen', searchParams: { pageSize: '1' } },
    sections: [],
  },
];

/** The "Customize" entries under System › Table Setup, gathered for the setup guide. */
export const tableSetupEntries: readonly string[] = podPermissions.find((p) => p.id === 'table_setup')?.customize ?? [];
