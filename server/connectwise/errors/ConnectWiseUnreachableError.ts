export type UnreachableReason =
  | 'timeout'
  | 'network'
  | 'dns'
  | 'tls'
  | 'redirect'
  | 'not_json'
  | 'bad_shape'
  /** Not sent: the tenant's circuit breaker is open after repeated failures. */
  | 'circuit_open';

const explanations: Record<UnreachableReason, string> = {
  timeout: 'did not answer in time',
  network: 'could not be reached',
  dns: 'has a host name that does not resolve',
  tls: 'presented a certificate that could not be verified',
  redirect: 'answered with a redirect, which is not followed',
  not_json: 'answered with something other than JSON (often a login or error page)',
  bad_shape: 'answered JSON without the expected fields',
  circuit_open: 'is not responding (several calls in a row failed); calls are paused',
};

/**
 * No usable answer came from ConnectWise: the request failed before a status arrived, or the
 * answer could not be used. The message names the endpoint and, for redirects, the target
 * host; for shape mismatches, the paths of the fields that did not match (never values).
 */
export class ConnectWiseUnreachableError extends Error {
  override name = 'ConnectWiseUnreachableError';
  readonly reason: UnreachableReason;
  readonly endpoint: string;
  /** The host a redirect pointed at (reason "redirect"). */
  readonly redirectHost: string | undefined;
  /** Paths of the fields that did not match (reason "bad_shape"), e.g. "identifier", "0.board.id". */
  readonly issuePaths: string[];
  /** Seconds until the circuit lets a call through again (reason "circuit_open"). */
  readonly retryAfter: number | undefined;

  constructor(
    reason: UnreachableReason,
    endpoint: string,
    options: { redirectHost?: string; issuePaths?: string[]; retryAfter?: number; cause?: unknown } = {},
  ) {
    let detail = '';
    if (reason === 'redirect' && options.redirectHost) detail = ` to ${options.redirectHost}`;
    if (reason === 'bad_shape' && options.issuePaths?.length) {
      detail = ` (at ${options.issuePaths.slice(0, 5).join(', ')})`;
    }
    if (reason === 'circuit_open' && options.retryAfter !== undefined) detail = ` for ${options.retryAfter} s`;
    super(`ConnectWise ${explanations[reason]}${detail}, for ${endpoint}.`, { cause: options.cause });
    this.reason = reason;
    this.endpoint = endpoint;
    this.redirectHost = options.redirectHost;
    this.issuePaths = options.issuePaths ?? [];
    this.retryAfter = options.retryAfter;
  }
}
