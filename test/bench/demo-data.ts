import type { Sim } from '../../server/simulated-connectwise/simulator.ts';
import { demoCompanyId, demoTechnician, demoTicketIds } from '../../server/simulated-connectwise/demo.ts';
import type { CwRecord, Instance, JsonRecord } from '../../server/simulated-connectwise/world.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import { memberCredentials } from '../support/members.ts';

/** The demo instance the bench works on. */
export function demoInstance(sim: Sim): Instance {
  const instance = sim.world.get(demoCompanyId);
  if (!instance) throw new Error('the simulator has no demo instance');
  return instance;
}

const refTo = (value: unknown, id: number): JsonRecord | unknown =>
  value !== null && typeof value === 'object' ? { ...(value as JsonRecord), id } : value;

/**
 * Adds `count` copies of the rich demo ticket 1001, each with its own company, contact,
 * configurations, notes, time entries and agreements, so every copy's first view is cold
 * all the way down (no part shared with an earlier view). Returns the new ticket ids.
 */
export function addRichTicketCopies(sim: Sim, count: number, firstId = 700_001): number[] {
  const w = demoInstance(sim);
  const source = w.tickets.find((t) => t.id === demoTicketIds.helpDeskOpen)!;
  const companyId = Number((source['company'] as JsonRecord)['id']);
  const contactId = Number((source['contact'] as JsonRecord)['id']);
  const company = w.companies.find((c) => c.id === companyId)!;
  const contact = w.contacts.find((c) => c.id === contactId)!;
  const configIds = w.ticketConfigurations.filter((x) => x.ticketId === source.id).map((x) => x.configurationId);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const ticketId = firstId + i;
    const newCompany = 800_000 + i;
    const newContact = 810_000 + i;
    const relink = (r: CwRecord, id: number): CwRecord => {
      const copy = structuredClone(r) as CwRecord;
      copy.id = id;
      if ('company' in copy) copy['company'] = refTo(copy['company'], newCompany) as JsonRecord;
      if ('contact' in copy && (copy['contact'] as JsonRecord | null)?.['id'] === contactId) {
        copy['contact'] = refTo(copy['contact'], newContact) as JsonRecord;
      }
      return copy;
    };
    w.companies.push({ ...structuredClone(company), id: newCompany });
    w.contacts.push(relink(contact, newContact));
    w.tickets.push(relink(source, ticketId));
    configIds.forEach((configId, j) => {
      const newConfig = 820_000 + i * 10 + j;
      w.configurations.push(relink(w.configurations.find((c) => c.id === configId)!, newConfig));
      w.ticketConfigurations.push({ ticketId, configurationId: newConfig });
    });
    w.notes.filter((n) => n['ticketId'] === source.id).forEach((n, j) => {
      w.notes.push({ ...relink(n, 830_000 + i * 100 + j), ticketId });
    });
    w.timeEntries.filter((e) => e['chargeToId'] === source.id && e['chargeToType'] === 'ServiceTicket').forEach((e, j) => {
      w.timeEntries.push({ ...relink(e, 840_000 + i * 100 + j), chargeToId: ticketId });
    });
    w.agreements.filter((a) => (a['company'] as JsonRecord | null)?.['id'] === companyId).forEach((a, j) => {
      w.agreements.push(relink(a, 850_000 + i * 10 + j));
    });
    ids.push(ticketId);
  }
  return ids;
}

/** The demo technician's credentials, as the Hosted API hands them to the pod. */
export const demoTechnicianCredentials: MemberAuthentication = memberCredentials(demoTechnician);
