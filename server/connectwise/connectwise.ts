import type { ConnectWiseSite } from '../../shared/connectwise-sites.ts';
import type { MemberAuthentication } from '../../shared/member-authentication.ts';
import type { PodMember } from '../../shared/pod-api.ts';
import { createDiscovery } from './api-base.ts';
import { createCircuitBreakers, type BreakerState } from './circuit-breaker.ts';
import { createMemberVerifier, type VerifiedMember } from './member-verifier.ts';
import { assertSiteAllowed, createGuardedDispatcher, systemLookup, type LookupFn, type NetworkPolicy } from './network-guard.ts';
import type { CompanyInfo } from './schemas/company-info.ts';
import type { TenantConnection } from './tenant-connection.ts';
import { createTenantApi, type TenantApi } from './tenant-api.ts';
import { createTransport, type ConnectWiseCall, type ConnectWiseLogger } from './transport.ts';

export type { TenantConnection } from './tenant-connection.ts';
export type { TenantApi, RequestOptions, SearchParams } from './tenant-api.ts';
export type { ConnectWiseLogger } from './transport.ts';
export type { LookupFn } from './network-guard.ts';
export type { BreakerState } from './circuit-breaker.ts';
export type { VerifiedMember } from './member-verifier.ts';

/** A tenant's circuit breaker changed state (metrics, logs). */
export type BreakerChange = { companyId: string; apiOrigin: string; from: BreakerState; to: BreakerState };

export type ConnectWiseOptions = {
  /** The product's clientId, used when a tenant has none of its own. */
  defaultClientId?: string | undefined;
  allowPrivateNetwork: boolean;
  /** Exact origins exempt from the private-network rule, e.g. the demo simulator. */
  allowedOrigins?: string[];
  /** DNS, injectable for tests; default `dns.promises.lookup(host, {all: true})`. */
  lookup?: LookupFn;
  /** Per attempt (default 5 s). */
  timeoutMs?: number;
  /** All attempts of one call, and one member verification (default 8 s). */
  totalTimeoutMs?: number;
  logger?: ConnectWiseLogger | undefined;
  /** Cap on one ConnectWise answer in bytes (default DEFAULT_MAX_ANSWER_BYTES, 5 MB). */
  maxAnswerBytes?: number;
  /** Told of every finished ConnectWise call (metrics). */
  onCall?: ((call: ConnectWiseCall) => void) | undefined;
  /**
   * The per-tenant circuit breaker (keyed by company id and API origin), or false for none.
   * Defaults (breakerDefaults in circuit-breaker.ts): opens after 5 failures in a row within 60 s, failed calls that
   * started within 250 ms of each other counting once; stays open 20 s, then lets one trial
   * call through. circuit-breaker.ts says why.
   */
  circuitBreaker?: { failureThreshold?: number; windowMs?: number; coolDownMs?: number; burstMs?: number } | false;
  /** Told when a tenant's breaker opens, half-opens or closes. */
  onBreakerChange?: ((change: BreakerChange) => void) | undefined;
};

export type ConnectWise = {
  companyInfo(site: ConnectWiseSite, companyId: string, opts?: { fresh?: boolean; signal?: AbortSignal }): Promise<CompanyInfo>;
  api(t: TenantConnection): TenantApi;
  verifyMember(t: TenantConnection, creds: MemberAuthentication): Promise<PodMember>;
  /** verifyMember with what the verification also said about the member's boards (issue 10). */
  verifiedMember(t: TenantConnection, creds: MemberAuthentication): Promise<VerifiedMember>;
  /** ConnectWise refused this member: the next verification asks ConnectWise again (issue 10). */
  forgetMember(t: TenantConnection, memberid: string): void;
  /** Throws BlockedAddressError when the site's hosts are not allowed (used when saving a tenant). */
  assertSiteAllowed(site: ConnectWiseSite): Promise<void>;
  /** Closes the shared connection pool (server shutdown, end of a test file). */
  close(): Promise<void>;
};

/**
 * The server's one way to talk to ConnectWise. One guarded undici Agent (keep-alive 30 s) is
 * shared by everything this instance does; the app creates one instance per process.
 */
export function createConnectWise(options: ConnectWiseOptions): ConnectWise {
  const policy: NetworkPolicy = {
    allowPrivateNetwork: options.allowPrivateNetwork,
    allowedOrigins: (options.allowedOrigins ?? []).map((o) => new URL(o).origin),
    lookup: options.lookup ?? systemLookup,
  };
  const timeoutMs = options.timeoutMs ?? 5000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 8000;
  const dispatcher = createGuardedDispatcher(policy, { keepAliveTimeout: 30_000, connectTimeout: timeoutMs });
  const breakers =
    options.circuitBreaker === false
      ? undefined
      : createCircuitBreakers({
          ...options.circuitBreaker,
          // A trial is one call: it ends within the total budget, or it is presumed lost.
          trialTimeoutMs: totalTimeoutMs + 1000,
          onChange: ({ key, from, to }) => {
            const [companyId, apiOrigin] = JSON.parse(key) as [string, string];
            options.logger?.[to === 'open' ? 'warn' : 'info']({ cw: { breaker: to, from, companyId } }, 'ConnectWise circuit breaker');
            options.onBreakerChange?.({ companyId, apiOrigin, from, to });
          },
        });
  const transport = createTransport({
    dispatcher,
    timeoutMs,
    totalTimeoutMs,
    logger: options.logger,
    onCall: options.onCall,
    breakers,
    ...(options.maxAnswerBytes !== undefined ? { maxAnswerBytes: options.maxAnswerBytes } : {}),
  });
  const discovery = createDiscovery({ transport, logger: options.logger });
  const members = createMemberVerifier({ transport, discovery, logger: options.logger, deadlineMs: totalTimeoutMs });

  const effective = (t: TenantConnection): TenantConnection =>
    t.clientId ? t : { ...t, clientId: options.defaultClientId ?? '' };

  return {
    companyInfo: (site, companyId, opts) => discovery.companyInfo(site, companyId, opts),
    api: (t) => createTenantApi({ transport, discovery, members }, effective(t)),
    verifyMember: (t, creds) => members.verify(effective(t), creds),
    verifiedMember: (t, creds) => members.verified(effective(t), creds),
    forgetMember: (t, memberid) => members.forget(effective(t), memberid),
    assertSiteAllowed: (site) => assertSiteAllowed(site, policy),
    close: () => dispatcher.close(),
  };
}
