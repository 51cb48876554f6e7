import type { Note, TicketContext } from '../../shared/ticket-context.ts';
import { Card } from './card.tsx';
import { ClampedText } from './clamped-text.tsx';
import { formatDateTime, parseDate } from './format.ts';

const kindLabel: Record<Note['kind'], string | null> = { ticket: null, time: 'Time entry', meeting: 'Meeting' };

function newestFirst(a: Note, b: Note): number {
  return (parseDate(b.createdAt)?.getTime() ?? 0) - (parseDate(a.createdAt)?.getTime() ?? 0);
}

export function NotesCard({ section }: { section: TicketContext['notes'] }) {
  if (!section.ok) return <Card id="notes" title="Notes" error={section.error} />;
  const { items, total } = section.data;
  const notes = [...items].sort(newestFirst);
  return (
    <Card id="notes" title="Notes" aside={total > 0 ? (total > notes.length ? `${notes.length} of ${total}` : total) : undefined}>
      {notes.length === 0 ? (
        <p class="empty">No notes yet.</p>
      ) : (
        <ol class="plain-list notes">
          {notes.map((note) => (
            <li key={`${note.kind}-${note.id}`} class={note.internal ? 'note note-internal' : 'note'} data-testid="note">
              <p class="note-meta">
                {note.internal && <span class="badge badge-internal">Internal</span>}
                {note.resolution && <span class="badge">Resolution</span>}
                {kindLabel[note.kind] && <span class="badge">{kindLabel[note.kind]}</span>}
                <span class="note-author">{note.author ?? 'Unknown author'}</span>
                {note.createdAt && (
                  <time class="muted" dateTime={note.createdAt}>
                    {formatDateTime(note.createdAt)}
                  </time>
                )}
              </p>
              <ClampedText text={note.text} label={`note by ${note.author ?? 'unknown author'}`} />
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
