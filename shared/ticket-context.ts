import * as z from 'zod/mini';

/**
 * The normalised ticket context the pod renders. The server builds it from ConnectWise's
 * responses (server/ticket-context/); the pod only reads it. ConnectWise omits or nulls
 * fields freely, so nearly everything is optional: a missing field renders as absent,
 * never as a crash.
 */

const text = z.string();
const optionalText = z.optional(z.string());
const isoDate = z.string(); // ISO 8601 as ConnectWise sends it; the pod formats it

/** A reference to another ConnectWise record: `{id, name}` (boards, statuses, types…). */
export const Ref = z.object({ id: z.number(), name: optionalText });
export type Ref = z.infer<typeof Ref>;

/** A reference to a member or a company, which also carry an identifier. */
export const IdentifiedRef = z.object({
  id: z.optional(z.number()),
  identifier: optionalText,
  name: optionalText,
});
export type IdentifiedRef = z.infer<typeof IdentifiedRef>;

export const TicketPriority = z.object({
  id: z.number(),
  name: optionalText,
  /** ConnectWise's priority level ("Priority 1 - Critical Impact/Critical Urgency" etc.). */
  level: optionalText,
  sort: z.optional(z.number()),
  /** A CSS colour when ConnectWise gives one. */
  color: optionalText,
});

/**
 * The ticket's own agreement (ConnectWise's AgreementReference on the ticket): shown at once,
 * with no read of finance/agreements. `type` is the agreement type's name, when ConnectWise
 * sends it. Spelled out rather than `z.extend(Ref, …)`, which would pull zod's object-merging
 * code into the pod's first-load bundle.
 */
export const TicketAgreement = z.object({ id: z.number(), name: optionalText, type: optionalText });
export type TicketAgreement = z.infer<typeof TicketAgreement>;

export const TicketSla = z.object({
  name: optionalText,
  /** ConnectWise's `slaStatus`, e.g. "Respond by Mon 11/23 3:00 PM" or "Resolved". */
  status: optionalText,
  isInSla: z.optional(z.boolean()),
  respondBy: z.optional(isoDate),
  respondedAt: z.optional(isoDate),
  resolveBy: z.optional(isoDate),
  resolvedAt: z.optional(isoDate),
  escalationLevel: z.optional(z.number()),
});

export const Ticket = z.object({
  id: z.number(),
  summary: text,
  recordType: optionalText,
  board: z.optional(Ref),
  status: z.optional(Ref),
  priority: z.optional(TicketPriority),
  type: z.optional(Ref),
  subType: z.optional(Ref),
  item: z.optional(Ref),
  company: z.optional(IdentifiedRef),
  contact: z.optional(z.object({ id: z.optional(z.number()), name: optionalText })),
  contactPhone: optionalText,
  contactEmail: optionalText,
  site: z.optional(z.object({ id: z.optional(z.number()), name: optionalText })),
  owner: z.optional(IdentifiedRef),
  /** Member identifiers: ConnectWise sends `resources` as one comma-separated string. */
  resources: z.array(text),
  team: z.optional(Ref),
  source: z.optional(Ref),
  severity: optionalText,
  impact: optionalText,
  agreement: z.optional(TicketAgreement),
  sla: TicketSla,
  enteredAt: z.optional(isoDate),
  enteredBy: optionalText,
  updatedAt: z.optional(isoDate),
  updatedBy: optionalText,
  requiredDate: z.optional(isoDate),
  closed: z.boolean(),
  closedAt: z.optional(isoDate),
  closedBy: optionalText,
  budgetHours: z.optional(z.number()),
  actualHours: z.optional(z.number()),
  initialDescription: optionalText,
  /** Issue 12: ConnectWise's `billTime` ("Billable" | "DoNotBill" | "NoCharge" | "NoDefault"), for coverage. */
  billTime: optionalText,
});
export type Ticket = z.infer<typeof Ticket>;

export const Address = z.object({
  line1: optionalText,
  line2: optionalText,
  city: optionalText,
  state: optionalText,
  zip: optionalText,
  country: optionalText,
});

export const Company = z.object({
  id: z.number(),
  identifier: optionalText,
  name: optionalText,
  status: optionalText,
  /** The status record's id (issue 12: looks up its flags). */
  statusId: z.optional(z.number()),
  types: z.array(text),
  phone: optionalText,
  website: optionalText,
  address: z.optional(Address),
  territory: optionalText,
  deleted: z.optional(z.boolean()),
  /**
   * Issue 12: what the company's status record (`company/companies/statuses`, cached per
   * tenant) says beyond its name. Absent when the status could not be read.
   */
  statusFlags: z.optional(
    z.object({
      /** ConnectWise's `notificationMessage`, shown at the top of the pod when present or `notify`. */
      message: optionalText,
      notify: z.boolean(),
      inactive: z.boolean(),
      notApproved: z.boolean(),
    }),
  ),
});
export type Company = z.infer<typeof Company>;

/** A phone number or email address from a contact's `communicationItems`. */
export const ContactChannel = z.object({
  /** ConnectWise's `type.name`: "Direct", "Mobile", "Email"… */
  label: optionalText,
  value: text,
  extension: optionalText,
  isDefault: z.boolean(),
});
export type ContactChannel = z.infer<typeof ContactChannel>;

export const Contact = z.object({
  id: z.number(),
  name: text,
  title: optionalText,
  inactive: z.boolean(),
  /** Issue 12: ConnectWise records VIPs as a contact type ("VIP", "VIP Contact"…); matched by name (UNCONFIRMED). */
  vip: z.optional(z.boolean()),
  phones: z.array(ContactChannel),
  emails: z.array(ContactChannel),
});
export type Contact = z.infer<typeof Contact>;

export const Configuration = z.object({
  id: z.number(),
  name: optionalText,
  /** Issue 12: the ticket's reference names it (used by configuration link templates). */
  deviceIdentifier: optionalText,
  type: optionalText,
  status: optionalText,
  serialNumber: optionalText,
  modelNumber: optionalText,
  tagNumber: optionalText,
  ipAddress: optionalText,
  osType: optionalText,
  lastLoginName: optionalText,
  warrantyExpiration: z.optional(isoDate),
  active: z.optional(z.boolean()),
});
export type Configuration = z.infer<typeof Configuration>;

export const Note = z.object({
  id: z.number(),
  /** "ticket" for service notes, "time" for time-entry notes, "meeting" for meetings. */
  kind: z.enum(['ticket', 'time', 'meeting']),
  text: text,
  internal: z.boolean(),
  external: z.boolean(),
  resolution: z.boolean(),
  detailDescription: z.boolean(),
  internalAnalysis: z.boolean(),
  author: optionalText,
  createdAt: z.optional(isoDate),
});
export type Note = z.infer<typeof Note>;

export const Notes = z.object({
  /** Newest first, at most `limit` of them. */
  items: z.array(Note),
  /** How many notes the ticket has in all (at least items.length). */
  total: z.number(),
  limit: z.number(),
});
export type Notes = z.infer<typeof Notes>;

export const TimeSummary = z.object({
  entries: z.number(),
  actualHours: z.number(),
  billableHours: z.number(),
  lastEntryAt: z.optional(isoDate),
  byMember: z.array(z.object({ member: text, hours: z.number() })),
});
export type TimeSummary = z.infer<typeof TimeSummary>;

export const Agreement = z.object({
  id: z.number(),
  name: text,
  type: optionalText,
  status: optionalText,
  startDate: z.optional(isoDate),
  endDate: z.optional(isoDate),
  noEndingDate: z.optional(z.boolean()),
  /** Issue 12: the agreement's application limits, where ConnectWise records them. */
  applicationUnits: optionalText,
  applicationLimit: z.optional(z.number()),
  applicationCycle: optionalText,
  unlimited: z.optional(z.boolean()),
  coversTime: z.optional(z.boolean()),
});
export type Agreement = z.infer<typeof Agreement>;

export const OpenTicket = z.object({
  id: z.number(),
  summary: text,
  status: optionalText,
  board: optionalText,
  priority: optionalText,
  enteredAt: z.optional(isoDate),
  /** Issue 12: for sorting by urgency and marking P1s / overdue ones. */
  priorityColor: optionalText,
  prioritySort: z.optional(z.number()),
  slaStatus: optionalText,
  isInSla: z.optional(z.boolean()),
});
export type OpenTicket = z.infer<typeof OpenTicket>;

/**
 * Why a section could not be shown; `message` keeps ConnectWise's own reason. `not_in_role`:
 * the technician's own ConnectWise role does not grant the section (issue 10), so the pod
 * holds no data for it and `message` says which right is missing.
 */
export const SectionError = z.object({
  code: z.enum(['forbidden', 'not_found', 'unavailable', 'not_in_role']),
  message: text,
});
export type SectionError = z.infer<typeof SectionError>;

/**
 * One optional part of an answer: its data, or why it is missing. An optional part that
 * fails (403 on agreements, say) never blanks the rest of the view.
 */
function section<T extends z.core.$ZodType>(data: T) {
  return z.union([
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: SectionError }),
  ]);
}

export const AnswerMeta = z.object({
  fetchedAt: isoDate,
  /** True when any part came from the server's short-lived cache. */
  fromCache: z.boolean(),
});
export type AnswerMeta = z.infer<typeof AnswerMeta>;

export const TicketContext = z.object({
  ticket: Ticket,
  /** null when the ticket has no company (rare, but ConnectWise allows it). */
  company: section(z.nullable(Company)),
  /** null when the ticket has no contact. */
  contact: section(z.nullable(Contact)),
  configurations: section(z.array(Configuration)),
  notes: section(Notes),
  time: section(TimeSummary),
  /** The company's other open tickets, without this one. */
  otherOpenTickets: section(z.array(OpenTicket)),
  meta: AnswerMeta,
});
export type TicketContext = z.infer<typeof TicketContext>;

export type TicketContextSection = Exclude<keyof TicketContext, 'ticket' | 'meta'>;

/** The answer of the summary endpoint: the ticket alone, so the header can fill early. */
export const TicketSummary = z.object({
  ticket: Ticket,
  meta: AnswerMeta,
});
export type TicketSummary = z.infer<typeof TicketSummary>;

/**
 * The answer of the agreements endpoint: the active agreements of the ticket's company, read
 * only when the technician asks (the ticket's own agreement is already in `ticket.agreement`).
 * A role without Finance › Agreements gives a section error, not a failed request; a ticket
 * without a company gives an empty list.
 */
export const TicketAgreements = z.object({
  agreements: section(z.array(Agreement)),
  meta: AnswerMeta,
});
export type TicketAgreements = z.infer<typeof TicketAgreements>;
