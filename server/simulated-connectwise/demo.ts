/**
 * Constants of the simulated ConnectWise's demo tenant. The server seeds its demo tenant with
 * these, the harness signs in with them and tests authenticate with them. Every value here is
 * made up for the simulator: none is a real credential.
 */

/** The product clientId the simulated instances accept in the `clientId` header. */
export const demoClientId = '6f1c2d3e-4b5a-4c69-8d7e-9fa0b1c2d3e4';

/** Login company id of the demo instance (ConnectWise compares it case-insensitively). */
export const demoCompanyId = 'demo';
export const demoCompanyName = 'Demo Managed Services';
/** On-premise style: the REST API is on the host the request came to, under this codebase. */
export const demoCodebase = 'v4_6_release/';

/** The API member the pod's server uses (Basic `demo+<publicKey>:<privateKey>`). */
export const demoApiMember = {
  id: 190,
  identifier: 'podapi',
  publicKey: 'demoPodPublic001',
  privateKey: 'demoPodPrivate01',
  securityRoleId: 30,
} as const;

/** An API member whose role lacks Finance → Agreements (the pod's agreements section gets 403). */
export const demoLimitedApiMember = {
  id: 191,
  identifier: 'podapi-limited',
  publicKey: 'demoLimPublic002',
  privateKey: 'demoLimPrivate02',
  securityRoleId: 31,
} as const;

/** Security role ids of the demo instance. */
export const demoRoleIds = {
  admin: 1,
  technician: 2,
  /** Technician without Service Ticket Notes and without Time Entry (issue 10). */
  technicianNoNotesNoTime: 3,
  /** Technician whose Time Entry inquire level is "My" (mySecurity says "Mine"). */
  technicianOwnTime: 4,
  podApi: 30,
  podApiNoAgreements: 31,
} as const;

/** Board ids of the demo instance. */
export const demoBoardIds = { helpDesk: 1, networkOps: 2, onboarding: 3 } as const;

export type DemoMember = {
  id: number;
  identifier: string;
  firstName: string;
  lastName: string;
  email: string;
  memberHash: string;
  memberContext: string;
  boards: number[] | 'all';
  inactive: boolean;
  securityRoleId: number;
  note: string;
};

/** A technician who sees every board. */
export const demoTechnician: DemoMember = {
  id: 148,
  identifier: 'jsmith',
  firstName: 'Jane',
  lastName: 'Smith',
  email: 'jane.smith@demo-msp.example',
  memberHash: 'U2ltSGFzaC1qc21pdGgtN2Q0ZjVhOWMtNjFlMi00YjNhLTlmMGQtZGVtbw==',
  memberContext: 'web',
  boards: 'all',
  inactive: false,
  securityRoleId: demoRoleIds.technician,
  note: 'Technician who sees every board',
};

/** A technician who may only see the Help Desk board. */
export const demoRestrictedTechnician: DemoMember = {
  id: 152,
  identifier: 'bwilson',
  firstName: 'Ben',
  lastName: 'Wilson',
  email: 'ben.wilson@demo-msp.example',
  memberHash: 'U2ltSGFzaC1id2lsc29uLWE4YzExZTJmLTkwYjQtNDdkNS04ZTFhLWRlbW8=',
  memberContext: 'web',
  boards: [demoBoardIds.helpDesk],
  inactive: false,
  securityRoleId: demoRoleIds.technician,
  note: 'Technician restricted to the Help Desk board',
};

/** A member who has left: ConnectWise rejects their hash (401). */
export const demoInactiveMember: DemoMember = {
  id: 117,
  identifier: 'olee',
  firstName: 'Oscar',
  lastName: 'Lee',
  email: 'oscar.lee@demo-msp.example',
  memberHash: 'U2ltSGFzaC1vbGVlLTNiOWQ3YzIwLWQ1ZTYtNGYxOC1iMmM0LWRlbW8=',
  memberContext: 'web',
  boards: 'all',
  inactive: true,
  securityRoleId: demoRoleIds.technician,
  note: 'Inactive member: ConnectWise rejects the hash',
};

/** An administrator (Admin role, every board). */
export const demoAdmin: DemoMember = {
  id: 101,
  identifier: 'admin1',
  firstName: 'Alex',
  lastName: 'Morgan',
  email: 'alex.morgan@demo-msp.example',
  memberHash: 'U2ltSGFzaC1hZG1pbjEtYzBmZmVlMTItMzQ1Ni00Nzg5LWFiY2QtZGVtbw==',
  memberContext: 'web',
  boards: 'all',
  inactive: false,
  securityRoleId: demoRoleIds.admin,
  note: 'Administrator',
};

/** A technician whose role includes neither ticket notes nor time entries. */
export const demoNoNotesTechnician: DemoMember = {
  id: 153,
  identifier: 'cnguyen',
  firstName: 'Chris',
  lastName: 'Nguyen',
  email: 'chris.nguyen@demo-msp.example',
  memberHash: 'U2ltSGFzaC1jbmd1eWVuLTRlMmY5YjFhLTdjM2QtNDFlOC05YTBiLWRlbW8=',
  memberContext: 'web',
  boards: 'all',
  inactive: false,
  securityRoleId: demoRoleIds.technicianNoNotesNoTime,
  note: 'Technician whose role includes neither notes nor time',
};

/** A technician who may read only their own time entries (Time Entry inquire level "My"). */
export const demoOwnTimeTechnician: DemoMember = {
  id: 154,
  identifier: 'rpatel',
  firstName: 'Rita',
  lastName: 'Patel',
  email: 'rita.patel@demo-msp.example',
  memberHash: 'U2ltSGFzaC1ycGF0ZWwtOGQxYzJlM2YtNWE2Yi00YzdkLWJlOGYtZGVtbw==',
  memberContext: 'web',
  boards: 'all',
  inactive: false,
  securityRoleId: demoRoleIds.technicianOwnTime,
  note: 'Technician who sees only their own time entries',
};

export const demoMembers: readonly DemoMember[] = [
  demoTechnician,
  demoRestrictedTechnician,
  demoInactiveMember,
  demoAdmin,
  demoNoNotesTechnician,
  demoOwnTimeTechnician,
];

/** A hash no instance ever issued: the harness offers it to show the pod refusing a forged member. */
export const demoForgedMemberHash = 'Rm9yZ2VkSGFzaC1ub3QtaXNzdWVkLWJ5LWNvbm5lY3R3aXNl';

/** Ticket ids worth knowing in the demo data. */
export const demoTicketIds = {
  /** Help Desk, open, with contact, configurations, notes and time. */
  helpDeskOpen: 1001,
  /** Network Operations, open: hidden from the restricted technician. */
  networkOpsOpen: 1004,
  /** Closed, with a resolution note. */
  closed: 1003,
  /** Has no contact. */
  noContact: 1009,
  /** Does not exist. */
  missing: 999999,
} as const;

/**
 * A second, cloud-hosted instance in the EU region, for wrong-region and cloud-codebase
 * behaviour: companyinfo on any cloud host names `api-eu.myconnectwise.net`, and its keys are
 * refused (401) on every other API host.
 */
export const cloudCompanyId = 'northwind';
export const cloudInstance = {
  companyId: cloudCompanyId,
  companyName: 'Northwind IT Services',
  uiHost: 'eu.myconnectwise.net',
  apiHost: 'api-eu.myconnectwise.net',
  codebase: 'v2025_1/',
  apiMember: { id: 60, identifier: 'podapi', publicKey: 'nwPodPublicKey01', privateKey: 'nwPodPrivateKy01', securityRoleId: 30 },
  technician: {
    id: 61,
    identifier: 'kjones',
    firstName: 'Kim',
    lastName: 'Jones',
    email: 'kim.jones@northwind-it.example',
    memberHash: 'U2ltSGFzaC1ram9uZXMtbm9ydGh3aW5kLWV1LTAwMDE=',
    memberContext: 'web',
    boards: 'all',
    inactive: false,
    securityRoleId: 2,
    note: 'Technician of the EU cloud instance',
  } satisfies DemoMember,
} as const;
