import type { Contact, ContactChannel } from '../../shared/ticket-context.ts';
import type { CwCommunicationItem, CwContact } from './schemas/contact.ts';
import { present } from './normalise-common.ts';

function channel(item: CwCommunicationItem, value: string): ContactChannel {
  return {
    label: present(item.type?.name),
    value,
    extension: present(item.extension),
    isDefault: item.defaultFlag ?? false,
  };
}

/** Defaults first, otherwise ConnectWise's order (Array.prototype.sort is stable). */
function defaultFirst(channels: ContactChannel[]): ContactChannel[] {
  return channels.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/**
 * The channel kind. `communicationType` is authoritative; an item without one (older
 * versions, emulations) is an email when its value looks like an address, else a phone.
 */
function kindOf(item: CwCommunicationItem, value: string): 'Email' | 'Fax' | 'Phone' {
  return item.communicationType ?? (value.includes('@') ? 'Email' : 'Phone');
}

/** ConnectWise's Contact → the pod's Contact, phones and emails from `communicationItems`. */
export function normaliseContact(contact: CwContact): Contact {
  const phones: ContactChannel[] = [];
  const emails: ContactChannel[] = [];
  for (const item of contact.communicationItems ?? []) {
    const value = present(item.value);
    if (value === undefined) continue;
    const kind = kindOf(item, value);
    // A fax number is not something a technician calls back.
    if (kind === 'Phone') phones.push(channel(item, value));
    else if (kind === 'Email') emails.push(channel(item, value));
  }
  const defaultPhone = present(contact.defaultPhoneNbr);
  if (phones.length === 0 && defaultPhone !== undefined) {
    phones.push({ label: undefined, value: defaultPhone, extension: present(contact.defaultPhoneExtension), isDefault: true });
  }
  const name = [present(contact.firstName), present(contact.lastName)].filter((p) => p !== undefined).join(' ');
  const vip = (contact.types ?? []).some((t) => /\bvip\b/i.test(t.name ?? ''));
  return {
    id: contact.id,
    ...(vip ? { vip } : {}),
    name,
    title: present(contact.title),
    inactive: contact.inactiveFlag ?? false,
    phones: defaultFirst(phones),
    emails: defaultFirst(emails),
  };
}
