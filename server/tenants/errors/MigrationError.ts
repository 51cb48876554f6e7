/** The database schema could not be brought up to date; nothing of the failed migration was kept. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}
