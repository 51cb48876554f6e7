/** The client was disposed before the request could be answered. */
export class HostedApiClosedError extends Error {
  override name = 'HostedApiClosedError';

  constructor(request: string) {
    super(`${request} was abandoned: the Hosted API client was closed.`);
  }
}
