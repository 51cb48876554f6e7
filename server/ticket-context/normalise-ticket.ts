import type { Ticket } from '../../shared/ticket-context.ts';
import type { CwTicket } from './schemas/ticket.ts';
import { ticketAgreement } from './normalise-agreements.ts';
import { identifiedRef, optional, present, ref } from './normalise-common.ts';

type Sla = Ticket['sla'];

/** "jdoe, asmith,," → ["jdoe", "asmith"]: `resources` is one comma-separated string. */
export function splitResources(resources: string | null | undefined): string[] {
  if (resources === null || resources === undefined) return [];
  return resources
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

function priority(ticket: CwTicket): Ticket['priority'] {
  const p = ticket.priority;
  if (typeof p?.id !== 'number') return undefined;
  return {
    id: p.id,
    name: present(p.name),
    level: p.level === null || p.level === undefined ? undefined : present(String(p.level)),
    sort: optional(p.sort),
    color: present(p.color),
  };
}

function contactPhone(ticket: CwTicket): string | undefined {
  const number = present(ticket.contactPhoneNumber);
  const extension = present(ticket.contactPhoneExtension);
  if (number === undefined) return undefined;
  return extension === undefined ? number : `${number} x${extension}`;
}

function contact(ticket: CwTicket): Ticket['contact'] {
  const name = present(ticket.contact?.name) ?? present(ticket.contactName);
  const id = optional(ticket.contact?.id);
  return id === undefined && name === undefined ? undefined : { id, name };
}

function site(ticket: CwTicket): Ticket['site'] {
  const name = present(ticket.site?.name) ?? present(ticket.siteName);
  const id = optional(ticket.site?.id);
  return id === undefined && name === undefined ? undefined : { id, name };
}

/*
 * ConnectWise's Ticket has no "respond by"/"resolve by" dates (only minute counts and the
 * `slaStatus` text, which already says "Respond by …"), so respondBy/resolveBy stay absent.
 */
function sla(ticket: CwTicket): Sla {
  return {
    name: present(ticket.sla?.name),
    status: present(ticket.slaStatus),
    isInSla: optional(ticket.isInSla),
    respondedAt: present(ticket.dateResponded),
    resolvedAt: present(ticket.dateResolved),
    escalationLevel: optional(ticket.escalationLevel),
  };
}

/** ConnectWise's Ticket → the pod's Ticket. Total: any field may be missing or null. */
export function normaliseTicket(ticket: CwTicket): Ticket {
  const info = ticket._info ?? undefined;
  return {
    id: ticket.id,
    summary: ticket.summary ?? '',
    recordType: present(ticket.recordType),
    board: ref(ticket.board),
    status: ref(ticket.status),
    priority: priority(ticket),
    type: ref(ticket.type),
    subType: ref(ticket.subType),
    item: ref(ticket.item),
    company: identifiedRef(ticket.company),
    contact: contact(ticket),
    contactPhone: contactPhone(ticket),
    contactEmail: present(ticket.contactEmailAddress),
    site: site(ticket),
    owner: identifiedRef(ticket.owner),
    resources: splitResources(ticket.resources),
    team: ref(ticket.team),
    source: ref(ticket.source),
    severity: present(ticket.severity),
    impact: present(ticket.impact),
    agreement: ticketAgreement(ticket.agreement),
    sla: sla(ticket),
    enteredAt: present(info?.dateEntered),
    enteredBy: present(info?.enteredBy),
    updatedAt: present(info?.lastUpdated),
    updatedBy: present(info?.updatedBy),
    requiredDate: present(ticket.requiredDate),
    closed: ticket.closedFlag ?? false,
    closedAt: present(ticket.closedDate),
    closedBy: present(ticket.closedBy),
    budgetHours: optional(ticket.budgetHours),
    actualHours: optional(ticket.actualHours),
    initialDescription: present(ticket.initialDescription),
    billTime: present(ticket.billTime),
  };
}
