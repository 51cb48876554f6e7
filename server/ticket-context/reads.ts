import type { TenantApi } from '../connectwise/connectwise.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import { conditionId, conditionIdList, conditionString } from './conditions.ts';
import { OTHER_OPEN_TICKETS_LIMIT } from './normalise-open-tickets.ts';
import { CwAgreementList } from './schemas/agreements.ts';
import { CwCompany } from './schemas/company.ts';
import { CwCompanyConfigurationList, CwConfigurationReferenceList } from './schemas/configurations.ts';
import { CwContact } from './schemas/contact.ts';
import { CwServiceTicketNoteList } from './schemas/notes.ts';
import { CwTicket, CwTicketList } from './schemas/ticket.ts';
import { CwTimeEntryList } from './schemas/time-entries.ts';

/**
 * The ConnectWise reads behind the ticket context, one function per part (paths, `fields=`,
 * `conditions`, paging: docs/connectwise.md §4.3, §5.1). Ids go into paths and conditions as digits
 * only. Lists ask for ConnectWise's largest page (1000) where the pod needs every row to
 * sort or sum on its own side, and trim rows with `fields=`.
 */

/** ConnectWise's page-size ceiling (docs/connectwise.md §4.3). */
const MAX_PAGE_SIZE = 1000;

/** Details are fetched for this many of a ticket's configurations; the rest show by name. */
export const CONFIGURATION_DETAILS_LIMIT = 100;

type Read<T> = (api: TenantApi, signal: AbortSignal) => Promise<T>;

export function readTicket(ticketId: number): Read<CwTicket> {
  return (api, signal) => api.get(`service/tickets/${conditionId(ticketId)}`, CwTicket, { signal });
}

/**
 * `allNotes`, not `notes`: it also carries time-entry and meeting notes (often where the work
 * is written up), each with its `noteType`, in one call. It reportedly ignores `orderBy`, so
 * the whole list is read and sorted on our side; `orderBy=id desc` still asks ConnectWise
 * for the newest first in case a ticket ever has more than one page.
 */
export function readNotes(ticketId: number): Read<CwServiceTicketNoteList> {
  return (api, signal) =>
    api.get(`service/tickets/${conditionId(ticketId)}/allNotes`, CwServiceTicketNoteList, {
      searchParams: {
        fields:
          'id,noteType,text,detailDescriptionFlag,internalAnalysisFlag,resolutionFlag,timeStart,originalAuthor,member,contact,_info',
        orderBy: 'id desc',
        pageSize: MAX_PAGE_SIZE,
      },
      signal,
    });
}

export function readConfigurationRefs(ticketId: number): Read<CwConfigurationReferenceList> {
  return (api, signal) =>
    api.get(`service/tickets/${conditionId(ticketId)}/configurations`, CwConfigurationReferenceList, {
      searchParams: { fields: 'id,deviceIdentifier', pageSize: MAX_PAGE_SIZE },
      signal,
    });
}

/**
 * `time/entries` filtered to the ticket, not `service/tickets/{id}/timeentries`: the latter
 * answers TimeEntryReference (`{id, _info}`), which has no hours.
 */
export function readTimeEntries(ticketId: number): Read<CwTimeEntryList> {
  return (api, signal) =>
    api.get('time/entries', CwTimeEntryList, {
      searchParams: {
        conditions: `chargeToId=${conditionId(ticketId)} and chargeToType=${conditionString('ServiceTicket')}`,
        fields: 'id,chargeToId,chargeToType,member,timeStart,timeEnd,actualHours,billableOption,dateEntered',
        pageSize: MAX_PAGE_SIZE,
      },
      signal,
    });
}

export function readCompany(companyId: number): Read<CwCompany> {
  return (api, signal) => api.get(`company/companies/${conditionId(companyId)}`, CwCompany, { signal });
}

export function readContact(contactId: number): Read<CwContact> {
  return (api, signal) => api.get(`company/contacts/${conditionId(contactId)}`, CwContact, { signal });
}

/** One list call for every configuration of the ticket, not one call per configuration. */
export function readConfigurations(ids: readonly number[]): Read<CwCompanyConfigurationList> {
  return (api, signal) =>
    api.get('company/configurations', CwCompanyConfigurationList, {
      searchParams: {
        conditions: `id in ${conditionIdList(ids)}`,
        fields:
          'id,name,type,status,serialNumber,modelNumber,tagNumber,warrantyExpirationDate,ipAddress,osType,lastLoginName,activeFlag',
        pageSize: Math.min(ids.length, MAX_PAGE_SIZE),
      },
      signal,
    });
}

/** Not-cancelled agreements; expiry is judged on our side (normalise-agreements.ts). */
export function readAgreements(companyId: number): Read<CwAgreementList> {
  return (api, signal) =>
    api.get('finance/agreements', CwAgreementList, {
      searchParams: {
        conditions: `company/id=${conditionId(companyId)} and cancelledFlag=false`,
        fields:
          'id,name,type,agreementStatus,cancelledFlag,startDate,endDate,noEndingDateFlag,applicationUnits,applicationLimit,applicationCycle,applicationUnlimitedFlag,coverAgreementTime',
        pageSize: MAX_PAGE_SIZE,
      },
      signal,
    });
}

/**
 * The company's open tickets, newest first; one more than the list shows, so dropping the
 * ticket on screen still leaves a full list. Cached per company, shared by its tickets.
 */
export function readOpenTickets(companyId: number): Read<CwTicketList> {
  return (api, signal) =>
    api.get('service/tickets', CwTicketList, {
      searchParams: {
        conditions: `company/id=${conditionId(companyId)} and closedFlag=false`,
        fields: 'id,summary,status,board,priority,closedFlag,slaStatus,isInSla,_info',
        orderBy: 'id desc',
        pageSize: OTHER_OPEN_TICKETS_LIMIT + 1,
      },
      signal,
    });
}

/**
 * The whole ticket, read with the member's own credentials: can THIS member see it, and on
 * which board? The answer is the full ticket rather than `fields=id,board`, so the same call
 * also serves as the view's ticket read (the loader offers it to the ticket part) and a cold
 * view needs no second read of the ticket with the API keys.
 */
export function readTicketAsMember(
  api: TenantApi,
  ticketId: number,
  creds: MemberAuthentication,
): Promise<CwTicket> {
  return api.get(`service/tickets/${conditionId(ticketId)}`, CwTicket, { as: creds });
}
