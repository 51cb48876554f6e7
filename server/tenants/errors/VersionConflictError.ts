/**
 * An update or delete named a version the tenant is no longer at: someone else saved (or
 * deleted) it after the caller read it. The admin API answers 409 so the form can reload.
 */
export class VersionConflictError extends Error {
  override name = 'VersionConflictError';
  readonly companyId: string;
  readonly expectedVersion: number;
  /** The version now stored, or null when the tenant does not exist. */
  readonly actualVersion: number | null;

  constructor(companyId: string, expectedVersion: number, actualVersion: number | null) {
    super(
      actualVersion === null
        ? expectedVersion === 0
          ? `Tenant "${companyId}" does not exist.`
          : `Tenant "${companyId}" no longer exists (it was at version ${expectedVersion} when read); it was deleted by someone else.`
        : expectedVersion === 0
          ? `Tenant "${companyId}" already exists (version ${actualVersion}); load it and edit it instead.`
          : `Tenant "${companyId}" is at version ${actualVersion}, not ${expectedVersion}: someone else saved it meanwhile; reload it and try again.`,
    );
    this.companyId = companyId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}
