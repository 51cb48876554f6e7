/**
 * ConnectWise-shaped records for the normaliser tests, as the REST API sends them (field
 * names from docs/connectwise.md §5). `nullFilled` turns a record into the worst case ConnectWise
 * may send: every field but `id` null.
 */

export const richTicket = {
  id: 1001,
  summary: 'Printer on 2nd floor offline',
  recordType: 'ServiceTicket',
  board: { id: 1, name: 'Help Desk', _info: { board_href: 'x' } },
  status: { id: 11, name: 'In Progress' },
  priority: { id: 4, name: 'Priority 2 - High', sort: 2, level: 'Priority 2 - Quick Response', color: '#ff0000' },
  type: { id: 5, name: 'Hardware' },
  subType: { id: 6, name: 'Printer' },
  item: { id: 7, name: 'Network' },
  company: { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation' },
  site: { id: 31, name: 'Main' },
  siteName: 'Main office',
  contact: { id: 77, name: 'Pat Doe' },
  contactName: 'Pat Doe',
  contactPhoneNumber: '5551234567',
  contactPhoneExtension: '12',
  contactEmailAddress: 'pat@acme.example',
  owner: { id: 148, identifier: 'jsmith', name: 'Jane Smith' },
  resources: 'jsmith, bwilson,  ,admin1,',
  team: { id: 3, name: 'Tier 1' },
  source: { id: 2, name: 'Email' },
  severity: 'Medium',
  impact: 'High',
  agreement: { id: 9, name: 'Managed Services', type: 'MSP', chargeFirmFlag: false, _info: { agreement_href: 'x' } },
  closedFlag: false,
  closedDate: null,
  closedBy: null,
  requiredDate: '2026-03-02T17:00:00Z',
  dateResolved: null,
  dateResponded: '2026-03-01T09:30:00Z',
  dateResplan: null,
  sla: { id: 1, name: 'Standard SLA' },
  slaStatus: 'Resolve by Mon 03/02 5:00 PM',
  isInSla: true,
  escalationLevel: 0,
  budgetHours: 4,
  actualHours: 2.5,
  initialDescription: 'Nothing prints.',
  customFields: [{ id: 1, caption: 'X', value: null }],
  _info: {
    dateEntered: '2026-03-01T09:00:00Z',
    enteredBy: 'pdoe',
    lastUpdated: '2026-03-01T10:00:00Z',
    updatedBy: 'jsmith',
    notes_href: 'https://example/notes',
  },
};

export const richCompany = {
  id: 250,
  identifier: 'AcmeCorp',
  name: 'Acme Corporation',
  status: { id: 1, name: 'Active' },
  types: [{ id: 1, name: 'Client' }, { id: 2, name: 'Managed' }, { id: 3, name: null }],
  site: { id: 31, name: 'Main' },
  phoneNumber: '5550001111',
  website: 'acme.example',
  territory: { id: 4, name: 'North' },
  defaultContact: { id: 77, name: 'Pat Doe' },
  addressLine1: '1 Main St',
  addressLine2: 'Floor 2',
  city: 'Springfield',
  state: 'IL',
  zip: '62701',
  country: { id: 1, name: 'United States' },
  deletedFlag: false,
};

export const richContact = {
  id: 77,
  firstName: 'Pat',
  lastName: 'Doe',
  title: 'Office Manager',
  company: { id: 250, identifier: 'AcmeCorp', name: 'Acme Corporation' },
  site: { id: 31, name: 'Main' },
  defaultPhoneNbr: '5551234567',
  inactiveFlag: false,
  communicationItems: [
    { id: 1, type: { id: 2, name: 'Direct' }, value: '5551234567', extension: '12', defaultFlag: false, communicationType: 'Phone' },
    { id: 2, type: { id: 4, name: 'Mobile' }, value: '5559876543', extension: null, defaultFlag: true, communicationType: 'Phone' },
    { id: 3, type: { id: 1, name: 'Email' }, value: 'pat@acme.example', defaultFlag: true, communicationType: 'Email', domain: '@acme.example' },
    { id: 4, type: { id: 5, name: 'Fax' }, value: '5550002222', defaultFlag: false, communicationType: 'Fax' },
    { id: 5, type: { id: 1, name: 'Email' }, value: 'pat.personal@mail.example', defaultFlag: false, communicationType: 'Email' },
  ],
};

export const richConfigurationRefs = [
  { id: 501, deviceIdentifier: 'ACME-PRN-02' },
  { id: 502, deviceIdentifier: 'ACME-SW-01' },
  { id: 503, deviceIdentifier: 'Gone device' },
];

export const richConfigurations = [
  // ConnectWise's order need not match the ticket's.
  {
    id: 502,
    name: 'ACME-SW-01',
    type: { id: 2, name: 'Switch' },
    status: { id: 1, name: 'Active' },
    serialNumber: 'SW123',
    modelNumber: 'GS108',
    tagNumber: 'T-2',
    warrantyExpirationDate: '2027-01-01T00:00:00Z',
    ipAddress: '10.0.0.2',
    osType: null,
    lastLoginName: null,
    activeFlag: true,
  },
  {
    id: 501,
    name: 'ACME-PRN-02',
    type: { id: 1, name: 'Printer' },
    status: { id: 1, name: 'Active' },
    serialNumber: 'PRN456',
    modelNumber: 'LaserJet',
    tagNumber: 'T-1',
    warrantyExpirationDate: '2025-06-30T00:00:00Z',
    ipAddress: '10.0.0.50',
    osType: 'Embedded',
    lastLoginName: 'printer',
    activeFlag: true,
  },
];

export const richAllNotes = [
  {
    id: 1,
    noteType: 'TicketNote',
    ticket: { id: 1001, summary: 'Printer on 2nd floor offline' },
    text: 'Initial call',
    detailDescriptionFlag: true,
    internalAnalysisFlag: false,
    resolutionFlag: false,
    timeStart: '2026-03-01T09:00:00Z',
    contact: { id: 77, name: 'Pat Doe' },
    _info: { dateEntered: '2026-03-01T09:00:00Z' },
  },
  {
    id: 2,
    noteType: 'TimeEntryNote',
    text: 'Power-cycled the printer',
    detailDescriptionFlag: false,
    internalAnalysisFlag: true,
    resolutionFlag: false,
    timeStart: '2026-03-01T11:00:00Z',
    timeEnd: '2026-03-01T11:30:00Z',
    member: { id: 148, identifier: 'jsmith', name: 'Jane Smith' },
  },
  {
    id: 3,
    noteType: 'MeetingNote',
    text: 'Met with facilities',
    timeStart: '2026-03-01T10:00:00Z',
    member: { id: 152, identifier: 'bwilson', name: 'Ben Wilson' },
  },
];

export const richTimeEntries = [
  {
    id: 9001,
    chargeToId: 1001,
    chargeToType: 'ServiceTicket',
    member: { id: 148, identifier: 'jsmith', name: 'Jane Smith' },
    timeStart: '2026-03-01T11:00:00Z',
    timeEnd: '2026-03-01T11:30:00Z',
    actualHours: 0.5,
    billableOption: 'Billable',
  },
  {
    id: 9002,
    chargeToId: 1001,
    chargeToType: 'ServiceTicket',
    member: { id: 152, identifier: 'bwilson', name: 'Ben Wilson' },
    timeStart: '2026-03-01T13:00:00Z',
    timeEnd: '2026-03-01T14:45:00Z',
    actualHours: 1.75,
    billableOption: 'DoNotBill',
  },
  {
    id: 9003,
    chargeToId: 1001,
    chargeToType: 'ServiceTicket',
    member: { id: 148, identifier: 'jsmith', name: 'Jane Smith' },
    timeStart: '2026-03-01T12:00:00Z',
    timeEnd: '2026-03-01T12:15:00Z',
    actualHours: 0.25,
    billableOption: 'Billable',
  },
];

export const richAgreements = [
  { id: 9, name: 'Managed Services', type: { id: 1, name: 'MSP' }, agreementStatus: 'Active', cancelledFlag: false, startDate: '2025-01-01T00:00:00Z', endDate: null, noEndingDateFlag: true },
  { id: 10, name: 'Block Hours', type: { id: 2, name: 'Block' }, agreementStatus: 'Active', cancelledFlag: false, startDate: '2025-01-01T00:00:00Z', endDate: '2099-12-31T00:00:00Z', noEndingDateFlag: false },
  { id: 11, name: 'Old Contract', type: { id: 2, name: 'Block' }, agreementStatus: 'Active', cancelledFlag: false, startDate: '2020-01-01T00:00:00Z', endDate: '2021-12-31T00:00:00Z', noEndingDateFlag: false },
  { id: 12, name: 'Expired one', agreementStatus: 'Expired', cancelledFlag: false },
  { id: 13, name: 'Cancelled one', agreementStatus: 'Active', cancelledFlag: true },
];

export const richOpenTickets = [
  { id: 990, summary: 'Old request', status: { id: 1, name: 'New' }, board: { id: 1, name: 'Help Desk' }, priority: { id: 3, name: 'Priority 3' }, _info: { dateEntered: '2026-01-01T00:00:00Z' } },
  { id: 1001, summary: 'Printer on 2nd floor offline', status: { id: 11, name: 'In Progress' } },
  { id: 1010, summary: 'New laptop', status: { id: 1, name: 'New' } },
  { id: 1005, summary: 'VPN slow', status: null, board: null },
];

/** Every field but `id` set to null: ConnectWise's worst case. */
export function nullFilled<T extends { id: number }>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key] = key === 'id' ? record.id : null;
  return out as T;
}
