/** Shown instead of a secret. Always eight dots, so the mask does not reveal the length. */
const dots = '••••••••';

/**
 * Masks a secret for display: "••••••••abcd" (the last four characters), enough for an admin
 * to tell which key is stored. Values shorter than 12 characters show no characters at all,
 * so a mask never reveals more than a third of a secret.
 */
export function maskSecret(value: string): string {
  return value.length >= 12 ? dots + value.slice(-4) : dots;
}
