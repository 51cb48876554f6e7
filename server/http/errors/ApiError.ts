import { statusForErrorCode, type ApiErrorCode, type FieldIssue } from '../../../shared/errors.ts';

/** An error answered to the client as `{"error":{code,message,…}}` with the code's status. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly retryAfter: number | undefined;
  readonly fields: FieldIssue[] | undefined;
  /** More of the error object for the caller (e.g. the connection test result); never secrets. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { status?: number; retryAfter?: number; fields?: FieldIssue[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? statusForErrorCode[code];
    this.retryAfter = options.retryAfter;
    this.fields = options.fields;
    this.details = options.details;
  }
}
