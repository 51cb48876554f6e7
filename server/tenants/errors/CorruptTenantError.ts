/**
 * A stored tenant row cannot be turned back into a Tenant: a column is not what the schema
 * says, or a secret does not decrypt. The message names the tenant and what is wrong, never
 * a secret or a ciphertext.
 */
export class CorruptTenantError extends Error {
  override name = 'CorruptTenantError';
  readonly companyId: string;
  readonly problems: readonly string[];

  constructor(companyId: string, problems: readonly string[], options: { cause?: unknown } = {}) {
    super(
      `Tenant "${companyId}" is stored in a form that cannot be read (${problems.join('; ')}). ` +
        'Save the tenant again with its keys, or delete it.',
      { cause: options.cause },
    );
    this.companyId = companyId;
    this.problems = problems;
  }
}
