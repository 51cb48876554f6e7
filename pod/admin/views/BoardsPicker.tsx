import { useEffect, useState } from 'preact/hooks';
import type { BoardList } from '../../../shared/admin-api.ts';
import { adminApi } from '../api.ts';

/** The boards the API member can see; none ticked means every board. */
export function BoardsPicker({ companyId, value, onChange }: { companyId: string; value: number[]; onChange: (ids: number[]) => void }) {
  const [boards, setBoards] = useState<BoardList['boards'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    adminApi
      .boards(companyId)
      .then((b) => live && setBoards(b.boards))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : 'Could not load boards.'));
    return () => {
      live = false;
    };
  }, [companyId]);

  if (error) return <p class="error">Boards: {error}</p>;
  if (boards === null) return <p class="muted">Loading boards from ConnectWise…</p>;
  const toggle = (id: number, on: boolean) => onChange(on ? [...value, id].sort((a, b) => a - b) : value.filter((b) => b !== id));
  return (
    <fieldset class="boards" data-testid="boards-picker">
      <legend>Boards the pod may show (none ticked = all boards)</legend>
      {boards.map((b) => (
        <label key={b.id} class="inline">
          <input type="checkbox" checked={value.includes(b.id)} onChange={(e) => toggle(b.id, (e.target as HTMLInputElement).checked)} />{' '}
          {b.name}
          {b.inactive ? ' (inactive)' : ''}
        </label>
      ))}
    </fieldset>
  );
}
