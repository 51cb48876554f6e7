import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState } from '../connectwise/circuit-breaker.ts';

/**
 * Prometheus metrics (prom-client), in a registry of our own so tests can build many apps in
 * one process. Labels are bounded: route patterns (never raw URLs), endpoint templates with
 * ids replaced, and tenant company ids (one per configured MSP).
 */
export type Metrics = {
  registry: Registry;
  httpRequest(labels: { route: string; method: string; status: number }, seconds: number): void;
  connectwiseCall(labels: { endpoint: string; status: string }, seconds: number): void;
  cache(cache: string, result: 'hit' | 'inflight' | 'miss'): void;
  funnel(tenant: string, step: FunnelStep): void;
  /** The per-tenant circuit breaker's state towards ConnectWise. */
  circuit(tenant: string, state: BreakerState): void;
  /** A ticket's reads started before the pod asked (page load or session), and how they ended. */
  warmUp(kind: 'page' | 'session', outcome: 'loaded' | 'failed'): void;
};

export type FunnelStep = 'page_served' | 'session_verified' | 'context_served';

/** "service/tickets/123/notes" → "service/tickets/:id/notes", so ids do not explode label sets. */
export function endpointTemplate(endpoint: string): string {
  return endpoint
    .split('?')[0]!
    .split('/')
    .map((part) => (/^\d+$/.test(part) ? ':id' : part))
    .join('/')
    .slice(0, 120);
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'pod_' });

  const requests = new Counter({
    name: 'pod_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'pod_http_request_duration_seconds',
    help: 'HTTP request latency, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const cwCalls = new Counter({
    name: 'pod_connectwise_calls_total',
    help: 'Calls to ConnectWise, by endpoint template and outcome (HTTP status or error reason).',
    labelNames: ['endpoint', 'status'] as const,
    registers: [registry],
  });
  const cwLatency = new Histogram({
    name: 'pod_connectwise_call_duration_seconds',
    help: 'ConnectWise call latency, by endpoint template.',
    labelNames: ['endpoint'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
    registers: [registry],
  });
  const cacheEvents = new Counter({
    name: 'pod_cache_events_total',
    help: 'Cache lookups, by cache and result (hit, inflight = joined a fetch already under way, miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  const funnel = new Counter({
    name: 'pod_funnel_total',
    help: 'Pod funnel per tenant: page served, then session verified, then ticket context served.',
    labelNames: ['tenant', 'step'] as const,
    registers: [registry],
  });

  const circuit = new Gauge({
    name: 'pod_connectwise_circuit_open',
    help: 'Per tenant: 1 while the circuit breaker towards ConnectWise is open (calls fail fast), 0.5 half-open, 0 closed.',
    labelNames: ['tenant'] as const,
    registers: [registry],
  });

  const warmUps = new Counter({
    name: 'pod_warm_ups_total',
    help: "Ticket reads started before the pod asked for them, by trigger (page load, session) and outcome.",
    labelNames: ['trigger', 'outcome'] as const,
    registers: [registry],
  });

  return {
    registry,
    httpRequest(labels, seconds) {
      const l = { route: labels.route, method: labels.method, status: String(labels.status) };
      requests.inc(l);
      latency.observe(l, seconds);
    },
    connectwiseCall(labels, seconds) {
      const endpoint = endpointTemplate(labels.endpoint);
      cwCalls.inc({ endpoint, status: labels.status });
      cwLatency.observe({ endpoint }, seconds);
    },
    cache(cache, result) {
      cacheEvents.inc({ cache, result });
    },
    funnel(tenant, step) {
      funnel.inc({ tenant: tenant.toLowerCase(), step });
    },
    warmUp(trigger, outcome) {
      warmUps.inc({ trigger, outcome });
    },
    circuit(tenant, state) {
      circuit.set({ tenant: tenant.toLowerCase() }, state === 'open' ? 1 : state === 'half_open' ? 0.5 : 0);
    },
  };
}
