import { describe, expect, it } from 'vitest';
import { Contact } from '../../../shared/ticket-context.ts';
import { normaliseContact } from '../../../server/ticket-context/normalise-contact.ts';
import { CwContact } from '../../../server/ticket-context/schemas/contact.ts';
import { nullFilled, richContact } from './cw-fixtures.ts';

describe('normaliseContact', () => {
  it('splits communicationItems into phones and emails, default first, labelled by type.name', () => {
    const contact = normaliseContact(CwContact.parse(richContact));
    expect(Contact.parse(contact)).toEqual(contact);
    expect(contact).toEqual({
      id: 77,
      name: 'Pat Doe',
      title: 'Office Manager',
      inactive: false,
      phones: [
        { label: 'Mobile', value: '5559876543', extension: undefined, isDefault: true },
        { label: 'Direct', value: '5551234567', extension: '12', isDefault: false },
      ],
      emails: [
        { label: 'Email', value: 'pat@acme.example', extension: undefined, isDefault: true },
        { label: 'Email', value: 'pat.personal@mail.example', extension: undefined, isDefault: false },
      ],
    });
  });

  it('leaves fax numbers out of the phones', () => {
    const contact = normaliseContact(CwContact.parse(richContact));
    expect(contact.phones.map((p) => p.value)).not.toContain('5550002222');
  });

  it('reads a contact whose every field but the id is null', () => {
    const contact = normaliseContact(CwContact.parse(nullFilled(richContact)));
    expect(Contact.parse(contact)).toEqual(contact);
    expect(contact).toEqual({ id: 77, name: '', title: undefined, inactive: false, phones: [], emails: [] });
  });

  it('falls back to defaultPhoneNbr when there are no phone items', () => {
    const contact = normaliseContact(
      CwContact.parse({ id: 3, firstName: 'Sam', defaultPhoneNbr: '5551112222', defaultPhoneExtension: '7', communicationItems: [] }),
    );
    expect(contact.name).toBe('Sam');
    expect(contact.phones).toEqual([{ label: undefined, value: '5551112222', extension: '7', isDefault: true }]);
  });

  it('skips items without a value and reads a kind ConnectWise has not sent by its value', () => {
    const contact = normaliseContact(
      CwContact.parse({
        id: 4,
        communicationItems: [
          { type: { name: 'Direct' }, value: null, communicationType: 'Phone' },
          { type: { name: 'Work' }, value: 'a@b.example', communicationType: null },
          { type: { name: 'Pager' }, value: '5553334444', communicationType: 'Pager' },
          { value: '  ' },
        ],
      }),
    );
    expect(contact.emails.map((e) => e.value)).toEqual(['a@b.example']);
    expect(contact.phones.map((p) => p.value)).toEqual(['5553334444']);
  });
});
