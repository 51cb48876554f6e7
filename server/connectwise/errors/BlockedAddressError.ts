export type BlockedAddressKind =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'cloud metadata'
  | 'non-public'
  | 'scheme'
  | 'credentials';

/**
 * The server refused to connect to a ConnectWise site because of where it points. The
 * message is written for the admin who typed the site: which host, which address, what kind
 * of address, and the one setting that changes it.
 */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly host: string;
  readonly address: string | undefined;
  readonly kind: BlockedAddressKind;

  constructor(options: { host: string; address?: string; kind: BlockedAddressKind; message?: string }) {
    super(options.message ?? BlockedAddressError.describe(options.host, options.address, options.kind));
    this.host = options.host;
    this.address = options.address;
    this.kind = options.kind;
  }

  static describe(host: string, address: string | undefined, kind: BlockedAddressKind): string {
    const article = /^[aeiou]/.test(kind) ? 'an' : 'a';
    const where = address === undefined || address === host ? `${host} is` : `${host} resolves to ${address},`;
    return `${where} ${article} ${kind} address; set ALLOW_PRIVATE_NETWORK=true only for development.`;
  }
}
