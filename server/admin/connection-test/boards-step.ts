import { ConnectWiseHttpError } from '../../connectwise/errors/ConnectWiseHttpError.ts';
import { Boards } from '../cw-schemas.ts';
import { pathOf, type Step } from './step.ts';

/** The boards the API member can see, and whether the tenant's board filter is among them. */
export const boardsStep: Step = {
  id: 'boards',
  manualCheck: () => 'Check in ConnectWise (Service › Service Board) which boards the API member can see.',
  async run({ api, tenant }, signal) {
    try {
      const boards = await api.get('service/boards', Boards, { signal, searchParams: { fields: 'id,name,inactiveFlag', pageSize: '1000' } });
      const active = boards.filter((b) => !b.inactiveFlag);
      if (boards.length === 0) {
        return {
          status: 'warning',
          message: 'The API member sees no service boards.',
          fix: `Give the role ${pathOf('table_setup')}, and check the API member’s board restrictions.`,
        };
      }
      const unknown = tenant.boardIds.filter((id) => !boards.some((b) => b.id === id));
      const names = active.slice(0, 8).map((b) => b.name).join(', ');
      const more = active.length > 8 ? ` and ${active.length - 8} more` : '';
      if (unknown.length > 0) {
        return {
          status: 'warning',
          message: `The API member sees ${active.length} active boards (${names}${more}), but not board ${unknown.join(', ')} from this tenant’s board filter.`,
          fix: 'Remove those boards from the filter, or let the API member see them.',
        };
      }
      return { status: 'ok', message: `The API member sees ${active.length} active boards: ${names}${more}.` };
    } catch (err) {
      if (!(err instanceof ConnectWiseHttpError) || err.status !== 403) throw err;
      return {
        status: 'warning',
        message: 'Forbidden: the API member may not list service boards (the board filter needs board ids typed by hand).',
        fix: `Give the role ${pathOf('table_setup')}.`,
      };
    }
  },
};
