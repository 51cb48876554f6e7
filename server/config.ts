import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { PreviousSecretKeys, SecretKey } from './tenants/secret-key.ts';

/**
 * The operator contract: configuration comes only from environment variables, parsed here
 * once at start. An invalid value stops start-up with one line naming the variable.
 */

const bool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), `${name} must be true or false`)
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const origin = (name: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      let url: URL;
      try {
        url = new URL(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be a URL such as https://pod.example.com` });
        return z.NEVER;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        ctx.addIssue({ code: 'custom', message: `${name} must start with https:// (or http:// for local use)` });
        return z.NEVER;
      }
      if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
        ctx.addIssue({ code: 'custom', message: `${name} must be an origin only (scheme, host, port), without a path` });
        return z.NEVER;
      }
      return url.origin;
    });

const Env = z.object({
  PORT: z.coerce.number({ error: 'PORT must be a number' }).int().min(0).max(65535).default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PUBLIC_URL: origin('PUBLIC_URL').optional(),
  ADMIN_TOKEN: z
    .string()
    .min(16, 'ADMIN_TOKEN must be at least 16 characters (use a long random value)')
    .max(500)
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /**
   * PostgreSQL for several instances sharing one database (issue 13); without it the SQLite
   * file in DATA_DIR. The message never echoes the value: it holds a password.
   */
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .trim()
      .refine((v) => {
        try {
          const url = new URL(v);
          return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
        } catch {
          return false;
        }
      }, 'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@db.example.com:5432/pod')
      .optional(),
  ),
  SECRET_KEY: z.preprocess((v) => (v === '' ? undefined : v), SecretKey.optional()),
  /** During a SECRET_KEY rotation: the old key(s), still readable (comma-separated). */
  PREVIOUS_SECRET_KEY: z.preprocess((v) => (v === '' ? undefined : v), PreviousSecretKeys.optional()),
  CW_CLIENT_ID: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F-]{8,64}$/, 'CW_CLIENT_ID must be the clientId GUID from developer.connectwise.com')
    .optional(),
  ALLOW_PRIVATE_NETWORK: bool('ALLOW_PRIVATE_NETWORK').default(false),
  /** Start a ticket's ConnectWise reads when ConnectWise asks for the pod page (routes/pod-page.ts). */
  WARM_UP_ON_PAGE_LOAD: bool('WARM_UP_ON_PAGE_LOAD').default(true),
  /** Default: on only in development (no NODE_ENV=production and no ADMIN_TOKEN): issue 10 item 10. */
  DEMO: bool('DEMO').optional(),
  NODE_ENV: z.string().optional(),
  /**
   * How many proxies sit in front of the server (a TLS terminator is typical). Without it every
   * client shares the proxy's address and per-IP limits would throttle everyone together.
   */
  TRUST_PROXY: z.coerce
    .number({ error: 'TRUST_PROXY must be the number of proxies in front of the server (0 for none)' })
    .int('TRUST_PROXY must be a whole number')
    .min(0)
    .max(10)
    .default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Port of the simulated ConnectWise in demo mode (default PORT + 1). */
  SIM_PORT: z.coerce.number({ error: 'SIM_PORT must be a number' }).int().min(0).max(65535).optional(),
  /** Interface of the simulated ConnectWise in demo mode: loopback unless told otherwise. */
  SIM_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /**
   * A token only for GET /metrics (a scraper need not hold the admin token). Without it,
   * /metrics takes ADMIN_TOKEN; either way failures share the admin failure limiter.
   */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters (use a long random value)').max(500).optional(),
});

export type AppConfig = {
  port: number;
  host: string;
  /** The origin ConnectWise reaches this server at. */
  publicUrl: string;
  adminToken: string;
  /** True when the admin token was generated at start (demo mode only) and must be printed. */
  adminTokenGenerated: boolean;
  dataDir: string;
  /** PostgreSQL when set (SECRET_KEY is then required); the SQLite file in dataDir otherwise. */
  databaseUrl: string | undefined;
  secretKey: string | undefined;
  previousSecretKeys: string[];
  cwClientId: string | undefined;
  allowPrivateNetwork: boolean;
  demo: boolean;
  simPort: number;
  simHost: string;
  /** Accepted by GET /metrics besides the admin token. */
  metricsToken: string | undefined;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  trustProxy: number;
  warmUpOnPageLoad: boolean;
  production: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment. Throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      return i.message.includes(name) ? i.message : `${name}: ${i.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  // A server given an admin token is being set up for real: demo mode must be asked for.
  const demo = e.DEMO ?? (!production && e.ADMIN_TOKEN === undefined);
  if (!demo && e.ADMIN_TOKEN === undefined) {
    throw new ConfigError('ADMIN_TOKEN is required when DEMO=false (set a long random value)');
  }
  if (e.DATABASE_URL !== undefined && e.SECRET_KEY === undefined) {
    throw new ConfigError(
      'SECRET_KEY is required with DATABASE_URL: every instance must decrypt the same stored keys and accept the same pod tokens (generate one with `npm run rotate-key -- --generate-key`)',
    );
  }
  if (e.DATABASE_URL !== undefined && e.ADMIN_TOKEN === undefined) {
    throw new ConfigError('ADMIN_TOKEN is required with DATABASE_URL: every instance must accept the same admin token and console sessions');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    adminToken: e.ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
    adminTokenGenerated: e.ADMIN_TOKEN === undefined,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    secretKey: e.SECRET_KEY,
    previousSecretKeys: e.PREVIOUS_SECRET_KEY ?? [],
    cwClientId: e.CW_CLIENT_ID,
    allowPrivateNetwork: e.ALLOW_PRIVATE_NETWORK,
    demo,
    simPort: e.SIM_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 1),
    simHost: e.SIM_HOST,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    warmUpOnPageLoad: e.WARM_UP_ON_PAGE_LOAD,
    production,
  };
}
