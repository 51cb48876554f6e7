import pg from 'pg';
import type { Logger } from '../logger.ts';

export type ChangeListener = (key: string | null) => void;

export type ChangeFeed = {
  /** `listener(payload)` for every NOTIFY on the channel; `listener(null)` after a reconnect (notifications may have been missed). */
  subscribe(listener: ChangeListener): () => void;
  /** True while the LISTEN connection is up. */
  connected(): boolean;
  close(): Promise<void>;
};

/**
 * LISTENs on one channel over a dedicated connection (a pooled one would be handed to other
 * queries), so a change made through any instance reaches this one in milliseconds. When the
 * connection drops it reconnects with backoff and then tells every listener "anything may
 * have changed", since NOTIFYs sent meanwhile are lost.
 */
export async function listenForChanges(options: {
  url: string;
  channel: string;
  logger?: Logger | undefined;
  /** First retry delay; doubles up to 5 s. */
  retryMs?: number;
}): Promise<ChangeFeed> {
  const listeners = new Set<ChangeListener>();
  const emit = (key: string | null) => {
    for (const l of listeners) l(key);
  };
  const firstDelay = options.retryMs ?? 250;
  let delay = firstDelay;
  let client: pg.Client | null = null;
  let up = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: options.url, keepAlive: true, application_name: 'connectwise-pod listen' });
    c.on('notification', (n) => {
      if (n.channel === options.channel) emit(n.payload ?? null);
    });
    const lost = (error?: Error) => {
      if (client !== c) return;
      client = null;
      up = false;
      c.removeAllListeners('end');
      c.end().catch(() => {});
      if (closed) return;
      options.logger?.warn({ err: error?.message }, 'database change feed lost; reconnecting');
      schedule();
    };
    c.on('error', lost);
    c.on('end', () => lost());
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
    } catch (error) {
      lost(error as Error);
      throw error;
    }
    up = true;
    delay = firstDelay;
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      connect().then(
        () => {
          options.logger?.info('database change feed reconnected');
          emit(null);
        },
        () => {
          delay = Math.min(delay * 2, 5_000);
        },
      );
    }, delay);
    timer.unref();
  }

  await connect();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connected: () => up,
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      up = false;
      await c?.end().catch(() => {});
    },
  };
}
