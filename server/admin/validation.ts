import { CompanyId } from '../../shared/pod-api.ts';
import { ApiError } from '../http/errors/ApiError.ts';
import { describeIssues, fieldIssues } from '../http/field-issues.ts';

type Schema<T> = {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
};

/** Parses a request body; a mismatch is a 422 naming each field. */
export function parseBody<T>(schema: Schema<T>, body: unknown): T {
  if (body === undefined) {
    throw new ApiError('bad_request', 'Send the body as JSON with Content-Type: application/json.');
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new ApiError('validation_failed', `The request is invalid: ${describeIssues(result.error.issues)}`, {
      fields: fieldIssues(result.error.issues),
    });
  }
  return result.data;
}

/** The `:companyId` path segment, checked like the pod's own routes check it. */
export function parseCompanyId(raw: unknown): string {
  const result = CompanyId.safeParse(raw);
  if (!result.success) {
    const message = result.error.issues[0]?.message ?? 'not a ConnectWise company id';
    throw new ApiError('validation_failed', `The company id in the path is invalid: ${message}`, {
      fields: [{ path: 'companyId', message }],
    });
  }
  return result.data;
}

/** A 422 on one field. */
export function fieldError(path: string, message: string): ApiError {
  return new ApiError('validation_failed', `${path}: ${message}`, { fields: [{ path, message }] });
}
