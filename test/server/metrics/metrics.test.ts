import { describe, expect, it } from 'vitest';
import { createMetrics, endpointTemplate } from '../../../server/metrics/metrics.ts';

describe('endpointTemplate', () => {
  it.each([
    ['service/tickets/123', 'service/tickets/:id'],
    ['service/tickets/123/notes', 'service/tickets/:id/notes'],
    ['/company/companies/7/contacts/88', '/company/companies/:id/contacts/:id'],
    ['service/tickets/123?fields=id,board&pageSize=1', 'service/tickets/:id'],
    ['service/tickets?conditions=company/id=7', 'service/tickets'],
    ['system/myMembers/info', 'system/myMembers/info'],
    // Only whole numeric segments are ids: names with digits are part of the template.
    ['v4_6_release/apis/3.0/system/info', 'v4_6_release/apis/3.0/system/info'],
    ['service/boards/12abc', 'service/boards/12abc'],
    ['', ''],
  ])('turns %j into %j', (endpoint, template) => {
    expect(endpointTemplate(endpoint)).toBe(template);
  });

  it('caps a template at 120 characters, so a strange path cannot make a huge label', () => {
    const long = `service/${'x'.repeat(300)}`;
    expect(endpointTemplate(long)).toHaveLength(120);
    expect(endpointTemplate(long)).toBe(long.slice(0, 120));
  });
});

describe('createMetrics', () => {
  it('counts HTTP requests by route pattern, method and status', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.httpRequest({ route: '/api/pod/:companyId/tickets/:ticketId', method: 'GET', status: 200 }, 0.05);
    metrics.httpRequest({ route: '/api/pod/:companyId/tickets/:ticketId', method: 'GET', status: 200 }, 0.2);
    metrics.httpRequest({ route: '/api/pod/:companyId/session', method: 'POST', status: 401 }, 0.01);
    const text = await metrics.registry.metrics();
    expect(text).toContain('pod_http_requests_total{route="/api/pod/:companyId/tickets/:ticketId",method="GET",status="200"} 2');
    expect(text).toContain('pod_http_requests_total{route="/api/pod/:companyId/session",method="POST",status="401"} 1');
    expect(text).toContain('pod_http_request_duration_seconds_count{route="/api/pod/:companyId/tickets/:ticketId",method="GET",status="200"} 2');
    expect(text).toMatch(/pod_http_request_duration_seconds_bucket\{le="0\.1",route="\/api\/pod\/:companyId\/tickets\/:ticketId",method="GET",status="200"\} 1/);
  });

  it('counts ConnectWise calls by endpoint template, never by raw path', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.connectwiseCall({ endpoint: 'service/tickets/123', status: '200' }, 0.1);
    metrics.connectwiseCall({ endpoint: 'service/tickets/456?fields=id', status: '200' }, 0.1);
    metrics.connectwiseCall({ endpoint: 'service/tickets/789', status: 'timeout' }, 5);
    const text = await metrics.registry.metrics();
    expect(text).toContain('pod_connectwise_calls_total{endpoint="service/tickets/:id",status="200"} 2');
    expect(text).toContain('pod_connectwise_calls_total{endpoint="service/tickets/:id",status="timeout"} 1');
    expect(text).toContain('pod_connectwise_call_duration_seconds_count{endpoint="service/tickets/:id"} 3');
    expect(text).not.toMatch(/123|456|789|fields=/);
  });

  it('counts cache lookups by cache and result', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.cache('ticket', 'miss');
    metrics.cache('ticket', 'hit');
    metrics.cache('ticket', 'hit');
    metrics.cache('company', 'inflight');
    const text = await metrics.registry.metrics();
    expect(text).toContain('pod_cache_events_total{cache="ticket",result="hit"} 2');
    expect(text).toContain('pod_cache_events_total{cache="ticket",result="miss"} 1');
    expect(text).toContain('pod_cache_events_total{cache="company",result="inflight"} 1');
  });

  it('counts warm-ups by trigger and outcome', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.warmUp('page', 'loaded');
    metrics.warmUp('page', 'loaded');
    metrics.warmUp('session', 'failed');
    const text = await metrics.registry.metrics();
    expect(text).toContain('pod_warm_ups_total{trigger="page",outcome="loaded"} 2');
    expect(text).toContain('pod_warm_ups_total{trigger="session",outcome="failed"} 1');
  });

  it('counts the funnel per tenant, whatever the case of the company id', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.funnel('Acme', 'page_served');
    metrics.funnel('ACME', 'page_served');
    metrics.funnel('acme', 'session_verified');
    const text = await metrics.registry.metrics();
    expect(text).toContain('pod_funnel_total{tenant="acme",step="page_served"} 2');
    expect(text).toContain('pod_funnel_total{tenant="acme",step="session_verified"} 1');
    expect(text).not.toMatch(/tenant="(Acme|ACME)"/);
  });

  it('adds the process metrics, prefixed, unless told not to', async () => {
    expect(await createMetrics().registry.metrics()).toContain('pod_process_cpu_user_seconds_total');
    expect(await createMetrics({ defaultMetrics: false }).registry.metrics()).not.toContain('process_cpu');
  });

  it('keeps each instance in its own registry, so one process can build many apps', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.cache('ticket', 'hit');
    expect(await a.registry.metrics()).toContain('pod_cache_events_total{cache="ticket",result="hit"} 1');
    expect(await b.registry.metrics()).not.toContain('cache="ticket"');
  });

  it('describes every metric with HELP and TYPE lines', async () => {
    const text = await createMetrics({ defaultMetrics: false }).registry.metrics();
    for (const [name, type] of [
      ['pod_http_requests_total', 'counter'],
      ['pod_http_request_duration_seconds', 'histogram'],
      ['pod_connectwise_calls_total', 'counter'],
      ['pod_connectwise_call_duration_seconds', 'histogram'],
      ['pod_cache_events_total', 'counter'],
      ['pod_funnel_total', 'counter'],
      ['pod_connectwise_circuit_open', 'gauge'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${type}`);
      expect(text).toMatch(new RegExp(`# HELP ${name} \\S`));
    }
  });

  it('shows each tenant\'s circuit breaker: 1 open, 0.5 half-open, 0 closed', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.circuit('Acme', 'open');
    metrics.circuit('other', 'half_open');
    let text = await metrics.registry.metrics();
    expect(text).toContain('pod_connectwise_circuit_open{tenant="acme"} 1');
    expect(text).toContain('pod_connectwise_circuit_open{tenant="other"} 0.5');
    metrics.circuit('acme', 'closed');
    text = await metrics.registry.metrics();
    expect(text).toContain('pod_connectwise_circuit_open{tenant="acme"} 0');
  });
});
