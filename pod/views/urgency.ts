import type { OpenTicket, Ticket } from '../../shared/ticket-context.ts';

/**
 * How urgent a ticket is: the SLA's next due moment and how it reads. ConnectWise's Ticket
 * has no "respond by" date field; its `slaStatus` names the next stage and its due time
 * ("Respond by Mon 11/23 3:00 PM", or ISO as the simulator writes it). That text is the one
 * source, so the pod shows what ConnectWise itself says is next.
 */

export type SlaStage = 'respond' | 'plan' | 'resolve';
export type SlaDue = { stage: SlaStage; at: Date };

const stageWords: Record<string, SlaStage> = { respond: 'respond', plan: 'plan', resplan: 'plan', resolve: 'resolve' };

/**
 * ConnectWise's UI form, "Mon 11/23 3:00 PM" (weekday and year optional). It carries no time
 * zone; it is read in the technician's own zone, which is the one ConnectWise shows them
 * (UNCONFIRMED for API answers). The year is the one that puts the date nearest to `now`.
 */
function parseUsDate(text: string, now: number): Date | null {
  const m = /^(?:[a-z]{3,9},?\s+)?(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?\s+(\d{1,2}):(\d{2})\s*([ap]m)?$/i.exec(text.trim());
  if (!m) return null;
  const [, mo, d, y, h, min, ampm] = m;
  let hours = Number(h);
  if (ampm) hours = (hours % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
  const build = (year: number) => new Date(year, Number(mo) - 1, Number(d), hours, Number(min));
  if (y) return build(y.length === 2 ? 2000 + Number(y) : Number(y));
  const year = new Date(now).getFullYear();
  const candidates = [year - 1, year, year + 1].map(build);
  return candidates.reduce((best, c) => (Math.abs(c.getTime() - now) < Math.abs(best.getTime() - now) ? c : best));
}

/** The next due moment from `slaStatus`, or null when it names none (resolved, waiting, absent…). */
export function slaDue(status: string | undefined, now: number = Date.now()): SlaDue | null {
  if (!status) return null;
  const m = /^\s*(respond|resplan|plan|resolve)\s+by\s*:?\s+(.+)$/i.exec(status);
  if (!m) return null;
  const stage = stageWords[m[1]!.toLowerCase()]!;
  const text = m[2]!.trim();
  // ISO 8601 with a date part: Date parses it with its zone.
  const iso = /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : null;
  const at = iso && !Number.isNaN(iso.getTime()) ? iso : parseUsDate(text, now);
  return at && !Number.isNaN(at.getTime()) ? { stage, at } : null;
}

/** "2 h 10 min", "3 h", "45 min", "2 d 4 h": compact, as a technician reads it at a glance. */
export function formatSpan(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 24) return rest === 0 || hours >= 10 ? `${hours} h` : `${hours} h ${rest} min`;
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h === 0 || days >= 3 ? `${days} d` : `${days} d ${h} h`;
}

/** Due within this long reads as "due soon". */
export const DUE_SOON_MS = 2 * 3_600_000;

export type SlaReading = {
  stage: SlaStage;
  at: Date;
  overdue: boolean;
  soon: boolean;
  /** "due in 2 h 10 min" / "overdue by 3 h". */
  text: string;
};

export function readSla(status: string | undefined, now: number = Date.now()): SlaReading | null {
  const due = slaDue(status, now);
  if (!due) return null;
  const left = due.at.getTime() - now;
  const overdue = left < 0;
  return {
    ...due,
    overdue,
    soon: !overdue && left <= DUE_SOON_MS,
    text: overdue ? `overdue by ${formatSpan(left)}` : `due in ${formatSpan(left)}`,
  };
}

export const stageLabel: Record<SlaStage, string> = { respond: 'Respond', plan: 'Plan', resolve: 'Resolve' };

/** The absolute time in the technician's locale and zone, zone named: "Mon, 23 Nov, 15:00 EST". */
export function formatAbsolute(at: Date): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at);
}

/** Priority 1: the tenant's first sort order, or a name ConnectWise's stock setup uses. */
export function isTopPriority(sort: number | undefined, name: string | undefined): boolean {
  if (sort !== undefined) return sort <= 1;
  return name !== undefined && /^(priority\s*1\b|p1\b)/i.test(name.trim());
}

export function ticketIsTopPriority(ticket: Ticket): boolean {
  return isTopPriority(ticket.priority?.sort, ticket.priority?.name);
}

/** Overdue by ConnectWise's own flag or by the due moment passing. */
export function openTicketOverdue(ticket: OpenTicket, now: number): boolean {
  return ticket.isInSla === false || readSla(ticket.slaStatus, now)?.overdue === true;
}

/**
 * Most urgent first: by priority sort order (unknown last), then the earlier SLA due moment
 * (none last), then the newest. Stable for equal keys.
 */
export function byUrgency(tickets: readonly OpenTicket[], now: number): OpenTicket[] {
  const key = (t: OpenTicket) => ({
    sort: t.prioritySort ?? Number.POSITIVE_INFINITY,
    due: slaDue(t.slaStatus, now)?.at.getTime() ?? (t.isInSla === false ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY),
  });
  return tickets
    .map((t) => ({ t, k: key(t) }))
    .sort((a, b) => a.k.sort - b.k.sort || (a.k.due === b.k.due ? 0 : a.k.due < b.k.due ? -1 : 1) || b.t.id - a.t.id)
    .map(({ t }) => t);
}
