import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { startBanner } from '../../server/start-banner.ts';

const running = { url: 'http://localhost:8080', simulator: { harnessUrl: 'http://127.0.0.1:8081/' } };

describe('the start banner (issue 11, first run)', () => {
  it('ends with the generated admin token, after the URLs', () => {
    const banner = startBanner({ publicUrl: 'http://localhost:8080', adminToken: 'tok-123', adminTokenGenerated: true }, running);
    const lines = banner.trim().split('\n');
    expect(lines.at(-1)!.trim()).toBe('tok-123');
    expect(banner.indexOf('Admin console:  http://localhost:8080/admin')).toBeLessThan(banner.indexOf('tok-123'));
    expect(banner).toContain('Developer harness (simulated ConnectWise): http://127.0.0.1:8081/');
  });

  it('never prints a token the operator set, and says which one to use', () => {
    const banner = startBanner({ publicUrl: 'https://pod.example.com', adminToken: 'operator-secret-token', adminTokenGenerated: false }, { url: 'https://pod.example.com' });
    expect(banner).not.toContain('operator-secret-token');
    expect(banner).toContain('ADMIN_TOKEN');
  });
});

describe('human-readable logs', () => {
  async function logged(pretty: boolean): Promise<string> {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const logger = createLogger({ level: 'info', destination: out, pretty });
    logger.info({ companyId: 'demo', privateKey: 'hunter2-private' }, 'tenant saved');
    logger.flush();
    await new Promise((r) => setImmediate(r));
    return text;
  }

  it('writes one readable line per entry when pretty, secrets still redacted', async () => {
    const text = await logged(true);
    expect(text).toContain('tenant saved');
    expect(text).toContain('INFO');
    expect(text.trimStart().startsWith('{')).toBe(false);
    expect(text).not.toContain('hunter2-private');
    expect(text).toContain('[redacted]');
  });

  it('writes JSON otherwise', async () => {
    const line = JSON.parse((await logged(false)).trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'tenant saved', privateKey: '[redacted]', companyId: 'demo' });
  });
});
