import type { Company, OpenTicket, Ticket, TicketContext } from '../../shared/ticket-context.ts';
import { present } from './normalise-common.ts';
import type { ReferenceTables } from './reference-data.ts';
import type { CwPriority } from './schemas/reference-data.ts';

/**
 * Fills what a ticket context can only say with the tenant's setup tables (issue 12): the
 * priority's colour and sort order, and the company status's flags and message. Pure: a table
 * that is absent leaves the context as ConnectWise's records made it.
 */

/**
 * A colour safe to put in a style attribute: #rgb/#rrggbb/#rrggbbaa, bare hex (prefixed), or a
 * CSS colour name. How ConnectWise stores `color` is UNCONFIRMED, so these forms are accepted;
 * anything else (a url(), an expression) is dropped.
 */
export function safeCssColor(value: string | null | undefined): string | undefined {
  const v = present(value)?.trim();
  if (v === undefined) return undefined;
  if (/^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(v)) return v;
  if (/^(?:[0-9a-f]{6})$/i.test(v)) return `#${v}`;
  if (/^[a-z]{3,20}$/i.test(v)) return v.toLowerCase();
  return undefined;
}

/** "Not-Approved" is ConnectWise's stock status for companies not yet approved; matched by name (UNCONFIRMED). */
const notApprovedName = /not[\s_-]*approved/i;

function withPriority(ticket: Ticket, priorities: ReadonlyMap<number, CwPriority> | undefined): Ticket {
  const p = ticket.priority;
  const row = p === undefined ? undefined : priorities?.get(p.id);
  if (p === undefined || row === undefined) return ticket;
  const level = row.level === null || row.level === undefined ? undefined : present(String(row.level));
  return {
    ...ticket,
    priority: {
      ...p,
      name: p.name ?? present(row.name),
      level: p.level ?? level,
      sort: row.sortOrder ?? p.sort,
      color: safeCssColor(row.color) ?? safeCssColor(p.color),
    },
  };
}

export function applyToTicket(ticket: Ticket, tables: Partial<ReferenceTables>): Ticket {
  return withPriority(ticket, tables.priorities);
}

function applyToCompany(company: Company, tables: Partial<ReferenceTables>): Company {
  const row = company.statusId === undefined ? undefined : tables.companyStatuses?.get(company.statusId);
  if (row === undefined) return company;
  const name = present(row.name) ?? company.status ?? '';
  return {
    ...company,
    statusFlags: {
      message: present(row.notificationMessage),
      notify: row.notifyFlag === true,
      inactive: row.inactiveFlag === true,
      notApproved: notApprovedName.test(name),
    },
  };
}

/** Priority ids of the other open tickets are not in the list's rows; their names are. */
function applyToOpenTicket(
  ticket: OpenTicket,
  byName: ReadonlyMap<string, CwPriority>,
): OpenTicket {
  const row = ticket.priority === undefined ? undefined : byName.get(ticket.priority.toLowerCase());
  if (row === undefined) return ticket;
  return { ...ticket, priorityColor: safeCssColor(row.color), prioritySort: row.sortOrder ?? ticket.prioritySort };
}

export function applyToContext(context: TicketContext, tables: Partial<ReferenceTables>): TicketContext {
  const byName = new Map<string, CwPriority>();
  for (const row of tables.priorities?.values() ?? []) {
    const name = present(row.name);
    if (name !== undefined) byName.set(name.toLowerCase(), row);
  }
  const company = context.company;
  const others = context.otherOpenTickets;
  return {
    ...context,
    ticket: applyToTicket(context.ticket, tables),
    company: company.ok && company.data !== null ? { ok: true, data: applyToCompany(company.data, tables) } : company,
    otherOpenTickets: others.ok ? { ok: true, data: others.data.map((t) => applyToOpenTicket(t, byName)) } : others,
  };
}
