/** Whose credentials a request carried, so a 401 can be blamed on the right party. */
export type ConnectWiseCredentialKind = 'api-keys' | 'member' | 'none';

/** One validation problem ConnectWise listed, without the value it complained about. */
export type ConnectWiseFieldError = { code?: string; field?: string; resource?: string };

/**
 * ConnectWise answered with a 4xx or 5xx (after any retries). `cwMessage` is ConnectWise's
 * own `message` when its body had one; the raw body is never kept.
 */
export class ConnectWiseHttpError extends Error {
  override name = 'ConnectWiseHttpError';
  readonly status: number;
  readonly cwCode: string | undefined;
  readonly cwMessage: string;
  readonly cwErrors: ConnectWiseFieldError[];
  /** The path below the API base (no query), e.g. "system/info". */
  readonly endpoint: string;
  readonly credentials: ConnectWiseCredentialKind;
  /** Seconds, from `Retry-After`, when ConnectWise sent one (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(options: {
    status: number;
    cwCode?: string | undefined;
    cwMessage: string;
    cwErrors?: ConnectWiseFieldError[];
    endpoint: string;
    credentials: ConnectWiseCredentialKind;
    retryAfter?: number | undefined;
  }) {
    super(`ConnectWise answered ${options.status} for ${options.endpoint}: ${options.cwMessage}`);
    this.status = options.status;
    this.cwCode = options.cwCode;
    this.cwMessage = options.cwMessage;
    this.cwErrors = options.cwErrors ?? [];
    this.endpoint = options.endpoint;
    this.credentials = options.credentials;
    this.retryAfter = options.retryAfter;
  }
}
