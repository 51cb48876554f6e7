import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestId } from '../../../server/http/request-id.ts';
import { listenApp } from '../../support/serve-app.ts';

let server: Server;
let url: string;

beforeAll(async () => {
  const app = express();
  app.use(requestId());
  app.get('/id', (_req, res) => {
    res.json({ requestId: res.locals.requestId as unknown });
  });
  ({ server, url } = await listenApp(app));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function idFor(header?: string): Promise<{ header: string | null; local: unknown }> {
  const res = await fetch(`${url}/id`, header === undefined ? {} : { headers: { 'X-Request-Id': header } });
  const body = (await res.json()) as { requestId: unknown };
  return { header: res.headers.get('x-request-id'), local: body.requestId };
}

describe('requestId', () => {
  it('gives a request without an id a fresh UUID, in the header and res.locals', async () => {
    const { header, local } = await idFor();
    expect(header).toMatch(uuid);
    expect(local).toBe(header);
  });

  it('gives every request its own id', async () => {
    const ids = await Promise.all([idFor(), idFor(), idFor()]);
    expect(new Set(ids.map((i) => i.header)).size).toBe(3);
  });

  it.each([
    ['8 characters', 'abcdefgh'],
    ['64 characters', 'a'.repeat(64)],
    ['a UUID', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['dots, dashes and underscores', 'lb-01.req_0042'],
  ])('keeps a well-formed id from a proxy: %s', async (_what, id) => {
    expect(await idFor(id)).toEqual({ header: id, local: id });
  });

  it.each([
    ['7 characters', 'abcdefg'],
    ['65 characters', 'a'.repeat(65)],
    ['a space', 'abcd efgh'],
    ['a slash', 'abcd/efgh'],
    ['markup', '<script>x</script>'],
    ['a JSON fragment', '","level":60,"x":"'],
    ['a colon', 'abcd:efgh'],
    ['empty', ''],
  ])('replaces an id with %s', async (_what, id) => {
    const { header, local } = await idFor(id);
    expect(header).toMatch(uuid);
    expect(local).toBe(header);
  });
});
