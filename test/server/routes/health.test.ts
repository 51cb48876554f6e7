import express from 'express';
import { describe, expect, it } from 'vitest';
import { healthRouter } from '../../../server/routes/health.ts';
import { serveApp } from '../../support/serve-app.ts';

function start(ready: () => boolean): Promise<string> {
  const app = express();
  app.use(healthRouter({ ready }));
  return serveApp(app);
}

describe('/healthz', () => {
  it.each([
    ['ready', () => true],
    ['not ready', () => false],
    [
      'whose ready check throws',
      () => {
        throw new Error('database is locked');
      },
    ],
  ])('answers 200 {"status":"ok"} even when the store is %s', async (_what, ready) => {
    const url = await start(ready);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('{"status":"ok"}');
  });
});

describe('/readyz', () => {
  it.each([
    ['the ready check says yes', () => true, 200, 'ready'],
    ['the ready check says no', () => false, 503, 'not_ready'],
    [
      'the ready check throws',
      () => {
        throw new Error('SQLITE_CANTOPEN /srv/data/pod.db');
      },
      503,
      'not_ready',
    ],
  ])('when %s, answers %d %s', async (_what, ready, status, word) => {
    const url = await start(ready);
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: word });
    expect(text).not.toContain('SQLITE');
  });

  it('asks the ready check on every request', async () => {
    let ready = false;
    const url = await start(() => ready);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
