import type { ConnectWiseCall } from '../connectwise/transport.ts';
import { endpointTemplate } from '../metrics/metrics.ts';
import { currentEventContext } from './event-context.ts';
import type { EventStore } from './event-store.ts';

/**
 * The ConnectWise client's onCall hook for the events view: a call made inside a tenant's
 * request (event-context.ts) is recorded for that tenant, with its path as a template (ids
 * replaced, no query: nothing identifying and no secret). Calls outside any tenant's request
 * are not the events view's business.
 */
export function recordConnectWiseCall(events: EventStore, call: ConnectWiseCall): void {
  const context = currentEventContext();
  if (context === undefined) return;
  events.request(context.companyId, {
    at: new Date().toISOString(),
    method: call.method,
    path: endpointTemplate(call.endpoint),
    status: call.outcome,
    ms: Math.round(call.seconds * 1000),
    trigger: context.trigger,
  });
}
