import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { TenantConnection } from '../connectwise/connectwise.ts';
import type { TicketContextLoader } from './loader.ts';

export type WarmUpOutcome = 'loaded' | 'failed';

/**
 * Starts ConnectWise reads for a ticket before the pod asks for them, so the two ConnectWise
 * round trips overlap the pod's own start (page, script, handshake, session) instead of
 * following it. Nothing read here reaches a browser: the answers only fill the loader's
 * short-lived caches, and the pod's data request still checks the member (as the member)
 * before anything is returned. Failures are dropped: the data request meets them again,
 * uncached, and reports them properly.
 */
export function createWarmUp(options: { loader: TicketContextLoader; onOutcome?: (kind: 'page' | 'session', outcome: WarmUpOutcome) => void }) {
  const { loader } = options;
  const settle = (kind: 'page' | 'session', work: Promise<unknown>) =>
    work.then(
      () => options.onOutcome?.(kind, 'loaded'),
      () => options.onOutcome?.(kind, 'failed'),
    );

  return {
    /**
     * ConnectWise framed the pod for this ticket: read its parts with the tenant's API keys.
     * Unauthenticated, so the pod page route rate-limits it (see routes/pod-page.ts).
     */
    page(connection: TenantConnection, ticketId: number): void {
      void settle('page', loader.context(connection, ticketId));
    },
    /**
     * A member was just verified and named the ticket on screen: start the member's own read
     * of the ticket (the access check every data request waits for) and the parts.
     */
    session(connection: TenantConnection, credentials: MemberAuthentication, ticketId: number): void {
      void settle('session', Promise.all([loader.memberAccess(connection, credentials, ticketId), loader.context(connection, ticketId)]));
    },
  };
}

export type WarmUp = ReturnType<typeof createWarmUp>;
