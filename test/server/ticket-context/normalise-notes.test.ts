import { describe, expect, it } from 'vitest';
import { Notes } from '../../../shared/ticket-context.ts';
import {
  NOTES_LIMIT,
  normaliseNotes,
  normaliseServiceNote,
  normaliseTicketNote,
} from '../../../server/ticket-context/normalise-notes.ts';
import { CwServiceNoteList, CwServiceTicketNoteList } from '../../../server/ticket-context/schemas/notes.ts';
import { nullFilled, richAllNotes } from './cw-fixtures.ts';

describe('normaliseTicketNote', () => {
  it('maps allNotes rows with their kind, flags, author and date', () => {
    const notes = CwServiceTicketNoteList.parse(richAllNotes).map(normaliseTicketNote);
    expect(notes).toEqual([
      {
        id: 1,
        kind: 'ticket',
        text: 'Initial call',
        internal: false,
        external: true,
        resolution: false,
        detailDescription: true,
        internalAnalysis: false,
        author: 'Pat Doe',
        createdAt: '2026-03-01T09:00:00Z',
      },
      {
        id: 2,
        kind: 'time',
        text: 'Power-cycled the printer',
        internal: true,
        external: false,
        resolution: false,
        detailDescription: false,
        internalAnalysis: true,
        author: 'Jane Smith',
        createdAt: '2026-03-01T11:00:00Z',
      },
      {
        id: 3,
        kind: 'meeting',
        text: 'Met with facilities',
        internal: false,
        external: false,
        resolution: false,
        detailDescription: false,
        internalAnalysis: false,
        author: 'Ben Wilson',
        createdAt: '2026-03-01T10:00:00Z',
      },
    ]);
  });

  it('reads a null-filled row and an unknown noteType as a ticket note', () => {
    const [note] = CwServiceTicketNoteList.parse([{ ...nullFilled(richAllNotes[0]!), noteType: 'SomethingNew' }]).map(
      normaliseTicketNote,
    );
    expect(note).toEqual({
      id: 1,
      kind: 'ticket',
      text: '',
      internal: false,
      external: false,
      resolution: false,
      detailDescription: false,
      internalAnalysis: false,
      author: undefined,
      createdAt: undefined,
    });
  });

  it('names the original author when there is no member or contact', () => {
    const [note] = CwServiceTicketNoteList.parse([{ id: 4, text: 'x', originalAuthor: 'Email Connector' }]).map(
      normaliseTicketNote,
    );
    expect(note?.author).toBe('Email Connector');
  });
});

describe('normaliseServiceNote', () => {
  it('maps a service note, the explicit internal/external flags winning', () => {
    const [note] = CwServiceNoteList.parse([
      {
        id: 10,
        ticketId: 1001,
        text: 'Resolved by replacing toner',
        detailDescriptionFlag: false,
        internalAnalysisFlag: false,
        resolutionFlag: true,
        internalFlag: true,
        externalFlag: false,
        member: { id: 148, identifier: 'jsmith', name: 'Jane Smith' },
        dateCreated: '2026-03-02T08:00:00Z',
        createdBy: 'jsmith',
      },
    ]).map(normaliseServiceNote);
    expect(note).toEqual({
      id: 10,
      kind: 'ticket',
      text: 'Resolved by replacing toner',
      internal: true,
      external: false,
      resolution: true,
      detailDescription: false,
      internalAnalysis: false,
      author: 'Jane Smith',
      createdAt: '2026-03-02T08:00:00Z',
    });
  });

  it('falls back to createdBy and _info.dateEntered', () => {
    const [note] = CwServiceNoteList.parse([{ id: 11, createdBy: 'api', _info: { dateEntered: '2026-01-01T00:00:00Z' } }]).map(
      normaliseServiceNote,
    );
    expect(note).toMatchObject({ author: 'api', createdAt: '2026-01-01T00:00:00Z', text: '' });
  });
});

describe('normaliseNotes', () => {
  it('orders notes newest first whatever order ConnectWise sent', () => {
    const notes = normaliseNotes(CwServiceTicketNoteList.parse(richAllNotes).map(normaliseTicketNote));
    expect(Notes.parse(notes)).toEqual(notes);
    expect(notes.items.map((n) => n.id)).toEqual([2, 3, 1]);
    expect(notes.total).toBe(3);
    expect(notes.limit).toBe(NOTES_LIMIT);
  });

  it('caps the items but counts every note', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      id: i + 1,
      text: `note ${i + 1}`,
      timeStart: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    }));
    const notes = normaliseNotes(CwServiceTicketNoteList.parse(many).map(normaliseTicketNote), 10);
    expect(notes.items).toHaveLength(10);
    expect(notes.total).toBe(25);
    expect(notes.items[0]?.id).toBe(25);
    expect(notes.items[9]?.id).toBe(16);
  });

  it('puts undated notes last, newest id first among them', () => {
    const notes = normaliseNotes(
      CwServiceTicketNoteList.parse([{ id: 1 }, { id: 3, timeStart: 'not a date' }, { id: 2, timeStart: '2026-01-01T00:00:00Z' }]).map(
        normaliseTicketNote,
      ),
    );
    expect(notes.items.map((n) => n.id)).toEqual([2, 3, 1]);
  });

  it('gives an empty list for a ticket without notes', () => {
    expect(normaliseNotes([])).toEqual({ items: [], total: 0, limit: NOTES_LIMIT });
  });
});
