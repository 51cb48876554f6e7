import type { PodErrorCode } from '../../../shared/errors.ts';

/**
 * A failed pod API call, already reduced to the closed set of PodErrorCodes so every failure
 * has exactly one explanation in the view. `message` is the server's own sentence (or ours
 * when the server never answered); it never contains a token.
 */
export class PodApiError extends Error {
  override name = 'PodApiError';
  readonly code: PodErrorCode;
  readonly status: number;
  readonly retryAfter: number | undefined;
  readonly requestId: string | undefined;

  constructor(
    code: PodErrorCode,
    message: string,
    details: { status?: number; retryAfter?: number | undefined; requestId?: string | undefined } = {},
  ) {
    super(message);
    this.code = code;
    this.status = details.status ?? 0;
    this.retryAfter = details.retryAfter;
    this.requestId = details.requestId;
  }
}
