/**
 * The database did not answer (connection refused or lost, server shutting down, pool
 * exhausted). Requests answer a coded 503 and /readyz fails until it answers again; the
 * message names the cause, never the connection string or its password.
 */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}
