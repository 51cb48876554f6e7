import type { Agreement, TicketAgreement } from '../../shared/ticket-context.ts';
import type { CwAgreement, CwAgreementReference } from './schemas/agreements.ts';
import { optional, present, ref, timeOf } from './normalise-common.ts';

const endedStatuses = new Set(['cancelled', 'expired', 'inactive']);

/**
 * Whether an agreement is in force on `now`: not cancelled, not marked Cancelled/Expired/
 * Inactive, and not past its end date (unless it has no ending date). The query already
 * excludes cancelled ones; this also catches expiry ConnectWise has not applied yet.
 */
export function isActiveAgreement(a: CwAgreement, now: Date): boolean {
  if (a.cancelledFlag === true) return false;
  const status = present(a.agreementStatus)?.toLowerCase();
  if (status !== undefined && endedStatuses.has(status)) return false;
  if (a.noEndingDateFlag === true) return true;
  const end = timeOf(present(a.endDate));
  return end === undefined || end >= now.getTime();
}

/** The company's agreements in force on `now`, in ConnectWise's order. */
export function normaliseAgreements(agreements: readonly CwAgreement[], now: Date): Agreement[] {
  return agreements
    .filter((a) => isActiveAgreement(a, now))
    .map((a) => ({
      id: a.id,
      name: present(a.name) ?? `Agreement #${a.id}`,
      type: present(a.type?.name),
      status: present(a.agreementStatus),
      startDate: present(a.startDate),
      endDate: present(a.endDate),
      noEndingDate: optional(a.noEndingDateFlag),
      applicationUnits: present(a.applicationUnits),
      applicationLimit: optional(a.applicationLimit),
      applicationCycle: present(a.applicationCycle),
      unlimited: optional(a.applicationUnlimitedFlag),
      coversTime: optional(a.coverAgreementTime),
    }));
}

/** The ticket's own agreement, from the ticket record: absent when it names none (or no id). */
export function ticketAgreement(value: CwAgreementReference | null | undefined): TicketAgreement | undefined {
  const reference = ref(value);
  return reference && { ...reference, type: present(value?.type) };
}
