export type UnreachableReason =
  | 'timeout'
  | 'network'
  | 'dns'
  | 'tls'
  /** Not sent: the tenant's circuit breaker is open after repeated failures. */
  | 'circuit_open';

const explanations: Record<UnreachableReason, string> = {
  timeout: 'did not answer in time',
  network: 'could not be reached',
  dns: 'has a host name that does not resolve',
  tls: 'presented a certificate that could not be verified',
  circuit_open: 'is not responding (several calls in a row failed); calls are paused',
};

/**
 * No answer came from ConnectWise: the request failed before a status arrived (or was not
 * sent, the circuit being open). An answer that arrived but cannot be used is a
 * ConnectWiseUnusableAnswerError. The message names the endpoint (or host, for DNS).
 */
export class ConnectWiseUnreachableError extends Error {
  override name = 'ConnectWiseUnreachableError';
  readonly reason: UnreachableReason;
  readonly endpoint: string;
  /** Seconds until the circuit lets a call through again (reason "circuit_open"). */
  readonly retryAfter: number | undefined;

  constructor(reason: UnreachableReason, endpoint: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    const detail = reason === 'circuit_open' && options.retryAfter !== undefined ? ` for ${options.retryAfter} s` : '';
    super(`ConnectWise ${explanations[reason]}${detail}, for ${endpoint}.`, { cause: options.cause });
    this.reason = reason;
    this.endpoint = endpoint;
    this.retryAfter = options.retryAfter;
  }
}
