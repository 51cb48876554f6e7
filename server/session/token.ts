import { createHash, createSecretKey, hkdfSync, randomBytes } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, errors as joseErrors } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { MemberAuthentication } from '../../shared/member-authentication.ts';
import { PodMember } from '../../shared/pod-api.ts';

/**
 * The pod's session token: an encrypted JWT (JWE, dir + A256GCM), bound to one tenant
 * (aud) and one member (sub), valid 15 minutes at most. It travels as a Bearer header, never
 * a cookie: Safari blocks and Firefox partitions third-party cookies inside iframes.
 *
 * It is encrypted rather than only signed because it carries the member's ConnectWise
 * credentials: every ticket request is re-checked *as the member* (can this technician see
 * this ticket?), and keeping them in the token keeps the server stateless. AES-GCM
 * authenticates, so a token cannot be forged or altered without the key.
 */

export const SESSION_TTL_SECONDS = 15 * 60;
const ISSUER = 'connectwise-pod';

const Claims = z.object({
  sub: z.string(),
  aud: z.string(),
  exp: z.number(),
  name: z.string(),
  cw: MemberAuthentication,
});

export type SessionClaims = {
  companyId: string;
  member: PodMember;
  credentials: MemberAuthentication;
  expiresAt: Date;
};

export class SessionTokenError extends Error {
  override name = 'SessionTokenError';
  readonly reason: 'expired' | 'invalid' | 'wrong_tenant';
  constructor(reason: 'expired' | 'invalid' | 'wrong_tenant', message: string) {
    super(message);
    this.reason = reason;
  }
}

export type SessionTokens = {
  issue(companyId: string, member: PodMember, credentials: MemberAuthentication): Promise<{ token: string; expiresAt: Date }>;
  verify(token: string, companyId: string): Promise<SessionClaims>;
};

/**
 * Derives the token key from SECRET_KEY when there is one (tokens survive a restart), or
 * makes a random one per process (a restart then costs each open pod one silent renewal).
 */
export function sessionKeyFrom(secretKey: string | undefined): Uint8Array {
  if (secretKey === undefined) return new Uint8Array(randomBytes(32));
  const ikm = createHash('sha256').update(secretKey).digest();
  return new Uint8Array(hkdfSync('sha256', ikm, Buffer.alloc(0), 'connectwise-pod session token v1', 32));
}

export function createSessionTokens(options: {
  key: Uint8Array;
  ttlSeconds?: number;
  now?: () => number;
  /** Verified tokens kept in memory (decrypting one costs more than the rest of a warm request). */
  cacheSize?: number;
}): SessionTokens {
  const ttl = Math.min(options.ttlSeconds ?? SESSION_TTL_SECONDS, SESSION_TTL_SECONDS);
  const now = options.now ?? Date.now;
  const kid = createHash('sha256').update(options.key).digest('base64url').slice(0, 8);
  // Imported once: jose would otherwise import the raw key again on every request.
  const key = createSecretKey(options.key);
  const tenantKey = (companyId: string) => companyId.toLowerCase();
  const verified = new LRUCache<string, SessionClaims>({ max: options.cacheSize ?? 10_000 });

  return {
    async issue(companyId, member, credentials) {
      const iat = Math.floor(now() / 1000);
      const exp = iat + ttl;
      // Only what ConnectWise's member check needs travels in the token.
      const cw = {
        companyid: credentials.companyid,
        memberid: credentials.memberid,
        memberHash: credentials.memberHash,
        ...(credentials.memberContext !== undefined ? { memberContext: credentials.memberContext } : {}),
      };
      const token = await new EncryptJWT({ name: member.name, cw })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid })
        .setIssuer(ISSUER)
        .setAudience(tenantKey(companyId))
        .setSubject(member.identifier)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .encrypt(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token, companyId) {
      if (token.length > 8192) throw new SessionTokenError('invalid', 'The session token is malformed.');
      // Keyed by a hash, so the map holds no bearer token; expiry and tenant are checked again.
      const cacheKey = createHash('sha256').update(token).digest('base64url');
      const cached = verified.get(cacheKey);
      if (cached !== undefined && cached.expiresAt.getTime() > now()) {
        if (cached.companyId !== tenantKey(companyId)) {
          throw new SessionTokenError('wrong_tenant', 'The session belongs to another company.');
        }
        return cached;
      }
      let payload: unknown;
      try {
        ({ payload } = await jwtDecrypt(token, key, {
          issuer: ISSUER,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          maxTokenAge: ttl + 5,
          clockTolerance: 5,
          currentDate: new Date(now()),
        }));
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw new SessionTokenError('expired', 'The session has expired.');
        throw new SessionTokenError('invalid', 'The session token is not valid.');
      }
      const claims = Claims.safeParse(payload);
      if (!claims.success) throw new SessionTokenError('invalid', 'The session token is not valid.');
      if (claims.data.aud !== tenantKey(companyId)) {
        throw new SessionTokenError('wrong_tenant', 'The session belongs to another company.');
      }
      const session: SessionClaims = {
        companyId: claims.data.aud,
        member: { identifier: claims.data.sub, name: claims.data.name },
        credentials: claims.data.cw,
        expiresAt: new Date(claims.data.exp * 1000),
      };
      verified.set(cacheKey, session);
      return session;
    },
  };
}
