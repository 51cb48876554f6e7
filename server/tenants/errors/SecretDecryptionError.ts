export type SecretDecryptionReason = 'malformed' | 'unknown_key' | 'authentication_failed';

const explanations: Record<SecretDecryptionReason, string> = {
  malformed: 'the stored value is not in the v1.<kid>.<iv>.<tag>.<ct> format',
  unknown_key: 'it was encrypted under a key that is not in the key ring',
  authentication_failed:
    'authentication failed: the ciphertext was altered, belongs to another tenant or field, or the key is wrong',
};

/** A sealed secret could not be opened. Carries the key id (public), never the plaintext or ciphertext. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
  readonly reason: SecretDecryptionReason;
  readonly keyId: string | null;

  constructor(reason: SecretDecryptionReason, keyId: string | null) {
    super(
      `Could not decrypt a secret: ${explanations[reason]}${keyId === null ? '' : ` (key id ${keyId})`}.`,
    );
    this.reason = reason;
    this.keyId = keyId;
  }
}
