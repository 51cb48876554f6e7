import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach a line: the redact paths cover every place a
 * key, memberHash, token or Authorization header could sit in a logged object, and code
 * logs only the shape of credentials (which fields, lengths), never values.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.privateKey',
  '*.publicKey',
  '*.memberHash',
  '*.memberContext',
  '*.ssoAccessToken',
  '*.ssoIdToken',
  '*.token',
  '*.authorization',
  '*.Authorization',
  '*.password',
  '*.secretKey',
  '*.adminToken',
  // One level deeper, for credentials logged inside a nested object.
  '*.*.privateKey',
  '*.*.publicKey',
  '*.*.memberHash',
  '*.*.memberContext',
  '*.*.token',
  '*.*.authorization',
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
