import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('configuration from the environment', () => {
  it('has working defaults: port 8080, demo on, a generated admin token', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.demo).toBe(true);
    expect(config.adminTokenGenerated).toBe(true);
    expect(config.adminToken.length).toBeGreaterThanOrEqual(24);
    expect(config.allowPrivateNetwork).toBe(false);
    expect(config.simPort).toBe(8081);
  });

  it('turns demo mode off in production and then requires ADMIN_TOKEN', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN is required when DEMO=false/);
    const config = loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-long-enough-admin-token' });
    expect(config.demo).toBe(false);
    expect(config.production).toBe(true);
  });

  it('turns demo mode on by default only in development: no NODE_ENV=production and no ADMIN_TOKEN', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).demo).toBe(true);
    // A server given an admin token is being set up for real.
    expect(loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-long-enough-admin-token' }).demo).toBe(false);
    // Asking for it still works, in either case.
    expect(loadConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token', DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'a-long-enough-admin-token', DEMO: 'true' }).demo).toBe(true);
  });

  it('keeps the simulator on loopback unless SIM_HOST says otherwise', () => {
    expect(loadConfig({}).simHost).toBe('127.0.0.1');
    expect(loadConfig({ SIM_HOST: '0.0.0.0' }).simHost).toBe('0.0.0.0');
  });

  it.each([
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be at least 16 characters/],
    [{ PORT: 'eighty' }, /PORT must be a number/],
    [{ PORT: '70000' }, /PORT/],
    [{ PUBLIC_URL: 'pod.example.com' }, /PUBLIC_URL must be a URL/],
    [{ PUBLIC_URL: 'ftp://pod.example.com' }, /PUBLIC_URL must start with https:\/\//],
    [{ PUBLIC_URL: 'https://pod.example.com/pods' }, /PUBLIC_URL must be an origin only/],
    [{ ALLOW_PRIVATE_NETWORK: 'maybe' }, /ALLOW_PRIVATE_NETWORK must be true or false/],
    [{ DEMO: 'on' }, /DEMO must be true or false/],
    [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN must be at least 16 characters/],
    [{ CW_CLIENT_ID: 'not a guid!' }, /CW_CLIENT_ID must be the clientId GUID/],
    [{ SECRET_KEY: 'hunter2' }, /SECRET_KEY must be 32 random bytes/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY must be the number of proxies/],
  ])('refuses %o with a line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a bad SECRET_KEY value', () => {
    try {
      loadConfig({ SECRET_KEY: 'my-secret-passphrase' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('my-secret-passphrase');
    }
  });

  it('normalises PUBLIC_URL to its origin and parses booleans', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://Pod.Example.com/', ALLOW_PRIVATE_NETWORK: 'TRUE', DEMO: 'false', ADMIN_TOKEN: 'x'.repeat(20) });
    expect(config.publicUrl).toBe('https://pod.example.com');
    expect(config.allowPrivateNetwork).toBe(true);
    expect(config.demo).toBe(false);
  });

  it('accepts a 32-byte SECRET_KEY in hex', () => {
    const key = 'ab'.repeat(32);
    expect(loadConfig({ SECRET_KEY: key }).secretKey).toBe(key);
  });

  describe('DATABASE_URL (issue 13)', () => {
    const key = 'ab'.repeat(32);
    const url = 'postgres://pod:s3cret-pw@db.internal:5432/pod';

    it('selects PostgreSQL; without it the SQLite file stays the default', () => {
      expect(loadConfig({ DATABASE_URL: url, SECRET_KEY: key, ADMIN_TOKEN: 'a-long-admin-token-123' }).databaseUrl).toBe(url);
      expect(loadConfig({}).databaseUrl).toBeUndefined();
      expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    });

    it('requires SECRET_KEY, in one line naming why', () => {
      expect(() => loadConfig({ DATABASE_URL: url, ADMIN_TOKEN: 'a-long-admin-token-123' })).toThrow(
        /^SECRET_KEY is required with DATABASE_URL: every instance must decrypt the same stored keys and accept the same pod tokens/,
      );
      expect(() => loadConfig({ DATABASE_URL: url, SECRET_KEY: key })).toThrow(/^ADMIN_TOKEN is required with DATABASE_URL/);
    });

    it('refuses a URL that is not PostgreSQL, without echoing its password', () => {
      for (const bad of ['mysql://pod:s3cret-pw@db/pod', 'not a url s3cret-pw']) {
        let message = '';
        try {
          loadConfig({ DATABASE_URL: bad, SECRET_KEY: key });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
        expect(message).not.toContain('s3cret-pw');
      }
    });
  });
});
