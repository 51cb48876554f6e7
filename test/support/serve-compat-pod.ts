import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { stripTypeScriptTypes } from 'node:module';
import type { AddressInfo } from 'node:net';

const dir = new URL('../fixtures/compat-pod/', import.meta.url);

/**
 * Serves the compatibility pod (test/fixtures/compat-pod) on its own loopback origin, as a
 * pod author's static host would: the page, and its script with the types stripped (Node's
 * own stripper, so the fixture stays TypeScript without a build step).
 */
export async function serveCompatPod(): Promise<{ url: string; close(): Promise<void> }> {
  const html = await readFile(new URL('index.html', dir), 'utf8');
  const script = stripTypeScriptTypes(await readFile(new URL('compat-pod.ts', dir), 'utf8'));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (path === '/compat-pod.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost", not 127.0.0.1: another origin than the harness (127.0.0.1) — as ConnectWise and a pod are.
    url: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
