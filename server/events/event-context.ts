import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventTrigger } from '../../shared/admin-events.ts';

/**
 * Which tenant, and what for, the ConnectWise calls made in the current async flow are. The
 * ConnectWise client knows neither (it is shared by every tenant and every route), so the
 * routes that start calls run them inside `withEventContext` and the client's onCall hook
 * reads it back: no tenant or trigger has to be threaded through the transport.
 */
export type EventContext = { companyId: string; trigger: EventTrigger };

const storage = new AsyncLocalStorage<EventContext>();

export function withEventContext<T>(context: EventContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the calling flow, or undefined outside any tenant's request. */
export function currentEventContext(): EventContext | undefined {
  return storage.getStore();
}
