import { HttpResponse } from 'msw';

/**
 * ConnectWise's error body: `{code, message, errors?: [{code, message, resource, field}]}`
 * (reference §4.4). Messages name what went wrong, never a credential.
 */
export type CwValidationError = { code: string; message: string; resource: string; field: string };

export function cwError(status: number, code: string, message: string, errors?: CwValidationError[]) {
  return HttpResponse.json(errors === undefined ? { code, message } : { code, message, errors }, { status });
}

/** Authentication failures. The exact wording ConnectWise uses is unconfirmed; the code is what clients read. */
export const unauthorized = (message = 'Authentication failed.') => cwError(401, 'Unauthorized', message);

/** ConnectWise's 403 body, verbatim from the reference. */
export const forbidden = () => cwError(403, 'Security', 'You do not have security permission to perform this action.');

export const notFound = (message: string) => cwError(404, 'NotFound', message);

export const badRequest = (message: string, errors?: CwValidationError[]) => cwError(400, 'InvalidObject', message, errors);
