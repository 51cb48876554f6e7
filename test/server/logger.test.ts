import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';

/** A logger writing into memory; `output()` is everything written so far. */
function collectingLogger(level = 'debug') {
  let text = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { logger: createLogger({ level, destination }), output: () => text };
}

/** Every secret-bearing key the code base handles (engineering rules: never in a log line). */
const secretKeys = [
  'privateKey',
  'publicKey',
  'memberHash',
  'memberContext',
  'token',
  'authorization',
  'Authorization',
  'ssoAccessToken',
  'ssoIdToken',
  'password',
  'secretKey',
  'adminToken',
] as const;

const secretValue = (key: string) => `SECRET-${key}-c0ffee`;

describe('createLogger redaction', () => {
  const placements: [string, (key: string, value: string) => Record<string, unknown>][] = [
    ['at the top of the logged object', (key, value) => ({ [key]: value, memberid: 'jsmith' })],
    ['one level down', (key, value) => ({ tenant: { companyId: 'acme', [key]: value }, memberid: 'jsmith' })],
    ['two levels down', (key, value) => ({ ctx: { creds: { companyid: 'acme', [key]: value } }, memberid: 'jsmith' })],
  ];

  describe.each(placements)('%s', (_where, place) => {
    it.each(secretKeys)('hides %s', (key) => {
      const { logger, output } = collectingLogger();
      logger.info(place(key, secretValue(key)), 'verifying member');
      const out = output();
      expect(out).not.toContain(secretValue(key));
      expect(out).toContain('[redacted]');
      // The rest of the line is still there: redaction, not a lost line.
      expect(out).toContain('"memberid":"jsmith"');
      expect(out).toContain('verifying member');
    });
  });

  it.each(['authorization', 'cookie', 'x-csrf-token'])('hides req.headers.%s', (header) => {
    const { logger, output } = collectingLogger();
    logger.info({ req: { method: 'GET', url: '/api/admin/tenants', headers: { [header]: secretValue(header), accept: 'application/json' } } }, 'request');
    const line = JSON.parse(output()) as { req: { headers: Record<string, string> } };
    expect(line.req.headers[header]).toBe('[redacted]');
    expect(line.req.headers.accept).toBe('application/json');
  });

  it('hides res.headers set-cookie', () => {
    const { logger, output } = collectingLogger();
    logger.info({ res: { statusCode: 200, headers: { 'set-cookie': secretValue('set-cookie') } } }, 'response');
    expect(output()).not.toContain(secretValue('set-cookie'));
    expect(output()).toContain('[redacted]');
  });

  it('hides secrets logged through a child logger', () => {
    const { logger, output } = collectingLogger();
    logger.child({ requestId: 'req-12345678' }).warn({ tenant: { privateKey: secretValue('privateKey') } }, 'key rejected');
    expect(output()).not.toContain(secretValue('privateKey'));
    expect(output()).toContain('req-12345678');
  });

  it('hides secrets in an array of objects', () => {
    const { logger, output } = collectingLogger();
    logger.info({ tenants: [{ companyId: 'acme', privateKey: secretValue('privateKey') }] }, 'tenants');
    expect(output()).not.toContain(secretValue('privateKey'));
  });

  it('leaves harmless fields alone', () => {
    const { logger, output } = collectingLogger();
    logger.info({ tenant: 'acme', route: '/api/pod/:companyId/session', status: 200, keyLength: 16 }, 'request');
    expect(JSON.parse(output())).toMatchObject({ tenant: 'acme', route: '/api/pod/:companyId/session', status: 200, keyLength: 16, msg: 'request' });
  });
});

describe('createLogger output', () => {
  it('writes one JSON line per entry, with the service name and an ISO time', () => {
    const { logger, output } = collectingLogger();
    logger.info('first');
    logger.error({ code: 'x' }, 'second');
    const lines = output().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, service: 'connectwise-pod', msg: 'first' });
    expect(lines[1]).toMatchObject({ level: 50, code: 'x', msg: 'second' });
    expect(new Date(String(lines[0]!.time)).toISOString()).toBe(lines[0]!.time);
  });

  it('drops entries below its level', () => {
    const { logger, output } = collectingLogger('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(output()).not.toContain('quiet');
    expect(output()).toContain('loud');
  });
});
