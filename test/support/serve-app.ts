import type { Server } from 'node:http';
import type { Express } from 'express';
import { afterEach } from 'vitest';

/** Runs an Express app on 127.0.0.1 and a free port; the caller closes the server. */
export async function listenApp(app: Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Runs a small Express app on 127.0.0.1 and a free port for one test; closed after it. */
export async function serveApp(app: Express): Promise<string> {
  const { server, url } = await listenApp(app);
  servers.push(server);
  return url;
}
