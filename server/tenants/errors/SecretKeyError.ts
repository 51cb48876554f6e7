/**
 * The encryption key configuration cannot be used: SECRET_KEY is malformed, the key file is
 * missing, unreadable or too open, or stored secrets use a key this process does not have.
 * Start-up stops with this message; it never contains key material.
 */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}
