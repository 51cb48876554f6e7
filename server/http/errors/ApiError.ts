import { statusForErrorCode, type ApiErrorCode, type FieldIssue } from '../../../shared/errors.ts';

/** An error answered to the client as `{"error":{code,message,…}}` with the code's status. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly retryAfter: number | undefined;
  readonly fields: FieldIssue[] | undefined;
  /** The ConnectWise failure kind (server/connectwise/errors/classify-failure.ts), sent as `failure`. */
  readonly failure: string | undefined;
  /** Details for the log only, never answered (hosts, endpoints, ConnectWise's words). */
  readonly logDetail: string | undefined;
  /** More of the error object for the caller (e.g. the connection test result); never secrets. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: {
      status?: number;
      retryAfter?: number | undefined;
      fields?: FieldIssue[];
      details?: Record<string, unknown>;
      cause?: unknown;
      failure?: string | undefined;
      logDetail?: string | undefined;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? statusForErrorCode[code];
    this.retryAfter = options.retryAfter;
    this.fields = options.fields;
    this.failure = options.failure;
    this.logDetail = options.logDetail;
    this.details = options.details;
  }
}
