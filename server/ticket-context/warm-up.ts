import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { TenantConnection } from '../connectwise/connectwise.ts';
import type { TicketContextLoader } from './loader.ts';
import { createWarmUpBudget } from './warm-up-budget.ts';

export type WarmUpOutcome = 'loaded' | 'failed';

/** Page warm-ups that may start ConnectWise reads, per company and minute (see the README). */
export const PAGE_WARM_UPS_PER_COMPANY_PER_MINUTE = 120;

export type WarmUpOptions = {
  loader: TicketContextLoader;
  onOutcome?: (kind: 'page' | 'session', outcome: WarmUpOutcome) => void;
  /** Page loads a minute, per company, that may start a read (default 120). */
  pageBudgetPerMinute?: number;
};

/**
 * Starts ConnectWise reads for a ticket before the pod asks for them, so the two ConnectWise
 * round trips overlap the pod's own start (page, script, handshake, session) instead of
 * following it. Nothing read here reaches a browser: the answers only fill the loader's
 * short-lived caches, and the pod's data request still checks the member (as the member)
 * before anything is returned. Failures are dropped: the data request meets them again,
 * uncached, and reports them properly.
 */
export function createWarmUp(options: WarmUpOptions) {
  const { loader } = options;
  const budget = createWarmUpBudget({ perMinute: options.pageBudgetPerMinute ?? PAGE_WARM_UPS_PER_COMPANY_PER_MINUTE });
  const settle = (kind: 'page' | 'session', work: Promise<unknown>) =>
    work.then(
      () => options.onOutcome?.(kind, 'loaded'),
      () => options.onOutcome?.(kind, 'failed'),
    );

  return {
    /**
     * ConnectWise framed the pod for this ticket. Anyone can load the page, so (issue 10) it
     * reads only the ticket, with the API keys; the ticket's other parts start once
     * ConnectWise says it exists. A ticket already cached, in flight or remembered as
     * missing (30 s) starts nothing and is not counted; the rest count against the
     * company's budget, past which the page is served without a warm-up.
     * Returns whether a read started.
     */
    page(connection: TenantConnection, ticketId: number): boolean {
      if (loader.ticketKnown(connection, ticketId)) return false;
      if (!budget.take(connection.companyId)) return false;
      void settle(
        'page',
        loader.summary(connection, ticketId).then(() => loader.context(connection, ticketId)),
      );
      return true;
    },
    /**
     * A member was just verified and named the ticket on screen: start the member's own read
     * of the ticket (the access check every data request waits for) and the parts.
     */
    session(connection: TenantConnection, credentials: MemberAuthentication, ticketId: number): void {
      void settle('session', Promise.all([loader.memberAccess(connection, credentials, ticketId), loader.context(connection, ticketId)]));
    },
    /** A member was just verified: learn their rights (cached for the session) before the first view. */
    member(connection: TenantConnection, credentials: MemberAuthentication, identifier: string): void {
      loader.viewerOf(connection, { credentials, identifier }, { boardIds: [] }).catch(() => undefined);
    },
  };
}

export type WarmUp = ReturnType<typeof createWarmUp>;
