export type UnusableReason =
  /** A 3xx: redirects are never followed (they could take the keys elsewhere). */
  | 'redirect'
  /** HTML or another non-JSON page (a sign-in page, a proxy's error page). */
  | 'not_json'
  /** Meant as JSON, but it does not parse (cut off, or broken). */
  | 'malformed_json'
  /** JSON without the fields we need. */
  | 'bad_shape'
  /** Longer than the byte cap (Content-Length, or counted while streaming). */
  | 'too_large';

const explanations: Record<UnusableReason, string> = {
  redirect: 'answered with a redirect, which is not followed',
  not_json: 'answered with something other than JSON (often a login or error page)',
  malformed_json: 'answered with JSON that does not parse (cut off or broken)',
  bad_shape: 'answered JSON without the expected fields',
  too_large: 'answered with more data than the pod server accepts',
};

/**
 * An answer came from ConnectWise (so it is reachable) but cannot be used. Kept apart from
 * ConnectWiseUnreachableError: "it did not answer" and "it answered nonsense" have different
 * causes and fixes. The message names the endpoint and, for redirects, the target host; for
 * shape mismatches, the paths of the fields that did not match (never values); for too-large
 * answers, the cap.
 */
export class ConnectWiseUnusableAnswerError extends Error {
  override name = 'ConnectWiseUnusableAnswerError';
  readonly reason: UnusableReason;
  readonly endpoint: string;
  /** The host a redirect pointed at (reason "redirect"). */
  readonly redirectHost: string | undefined;
  /** Paths of the fields that did not match (reason "bad_shape"), e.g. "identifier", "0.board.id". */
  readonly issuePaths: string[];
  /** The byte cap that was exceeded (reason "too_large"). */
  readonly limitBytes: number | undefined;

  constructor(
    reason: UnusableReason,
    endpoint: string,
    options: { redirectHost?: string; issuePaths?: string[]; limitBytes?: number; cause?: unknown } = {},
  ) {
    let detail = '';
    if (reason === 'redirect' && options.redirectHost) detail = ` to ${options.redirectHost}`;
    if (reason === 'bad_shape' && options.issuePaths?.length) detail = ` (at ${options.issuePaths.slice(0, 5).join(', ')})`;
    if (reason === 'too_large' && options.limitBytes !== undefined) detail = ` (over ${options.limitBytes} bytes)`;
    super(`ConnectWise ${explanations[reason]}${detail}, for ${endpoint}.`, { cause: options.cause });
    this.reason = reason;
    this.endpoint = endpoint;
    this.redirectHost = options.redirectHost;
    this.issuePaths = options.issuePaths ?? [];
    this.limitBytes = options.limitBytes;
  }
}
