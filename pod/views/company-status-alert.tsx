import type { Company } from '../../shared/ticket-context.ts';

/**
 * The company's status, when it has something to say, at the very top of the pod: the
 * notification message MSPs put on a status ("Credit hold: call accounting"), shown when
 * ConnectWise's `notifyFlag` is set or a message exists, and a mark for inactive or
 * not-approved companies. Nothing when the status is plain (or could not be read).
 */
export function CompanyStatusAlert({ company }: { company: Company | null }) {
  const flags = company?.statusFlags;
  if (!company || !flags) return null;
  const marks = [flags.inactive && 'inactive', flags.notApproved && 'not approved'].filter(Boolean);
  const notify = flags.notify || flags.message !== undefined;
  if (!notify && marks.length === 0) return null;
  const status = company.status ?? 'status';
  return (
    <div class={notify ? 'status-alert status-alert-notify' : 'status-alert'} role="alert" data-testid="company-status-alert">
      <strong class="status-alert-title">
        {company.name ?? 'Company'}: {status}
        {marks.length > 0 && <span class="badge badge-alert">{marks.join(', ')}</span>}
      </strong>
      {flags.message && <p data-testid="company-status-message">{flags.message}</p>}
    </div>
  );
}
