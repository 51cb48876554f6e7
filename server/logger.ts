import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach a line: the redact paths cover every place a
 * key, memberHash, token or Authorization header could sit in a logged object, and code
 * logs only the shape of credentials (which fields, lengths), never values.
 */
const secretKeys = [
  'privateKey',
  'publicKey',
  'memberHash',
  'memberContext',
  'ssoAccessToken',
  'ssoIdToken',
  'token',
  'authorization',
  'Authorization',
  'password',
  'secretKey',
  'adminToken',
];

// pino's paths match one level each, so every secret key is listed at the top level and up
// to two objects deep.
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { service: 'connectwise-pod' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination as pino.DestinationStream | undefined,
  );
}
