import { present } from '../ticket-context/normalise-common.ts';
import type { Candidate } from './rank.ts';
import type { CwClosedTicket } from './schemas.ts';

const refId = (r: { id?: number | null | undefined } | null | undefined) => (typeof r?.id === 'number' ? r.id : undefined);

/** A candidate row as the index keeps it; rows without a summary have nothing to rank on. */
export function toCandidate(row: CwClosedTicket): Candidate | null {
  const summary = present(row.summary);
  if (summary === undefined) return null;
  return {
    id: row.id,
    summary,
    description: present(row.initialDescription),
    board: { id: refId(row.board) ?? null, name: present(row.board?.name) },
    type: refId(row.type),
    subType: refId(row.subType),
    item: refId(row.item),
    closedAt: present(row.closedDate),
    // resolvedBy is who set it resolved; closedBy whoever closed it (often the same member).
    resolvedBy: present(row.resolvedBy) ?? present(row.closedBy),
  };
}
