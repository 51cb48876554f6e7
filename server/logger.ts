import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

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

/**
 * `pretty`: one readable line per entry (pino-pretty, in this thread) for a person at a
 * terminal — the first run of `npm start`. Redaction runs before formatting, as for JSON.
 */
export function createLogger(options: { level: string; destination?: NodeJS.WritableStream; pretty?: boolean }): Logger {
  const destination =
    options.pretty === true
      ? PinoPretty({
          colorize: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,service',
          destination: (options.destination ?? process.stdout) as NodeJS.WritableStream & { fd?: number },
          sync: true,
        })
      : options.destination;
  return pino(
    {
      level: options.level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { service: 'connectwise-pod' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
}
