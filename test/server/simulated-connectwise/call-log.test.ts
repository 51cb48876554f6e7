import { describe, expect, it } from 'vitest';
import { createCallLog } from '../../../server/simulated-connectwise/call-log.ts';
import type { SimCall } from '../../../shared/harness-api.ts';

const call = (over: Partial<SimCall>): SimCall => ({
  method: 'GET',
  host: 'cw.example.test',
  path: '/v4_6_release/apis/3.0/service/tickets/1',
  search: '',
  auth: 'api',
  status: 200,
  fault: null,
  at: '2026-03-16T09:00:00.000Z',
  ...over,
});

describe('call log', () => {
  it('counts and lists by method, host, path pattern and auth kind', () => {
    const log = createCallLog();
    log.record(call({}));
    log.record(call({ method: 'POST', path: '/v4_6_release/apis/3.0/system/connectwisehostedsetups' }));
    log.record(call({ auth: 'member-cookie', path: '/v4_6_release/apis/3.0/system/myMembers/info' }));
    log.record(call({ host: 'api-eu.myconnectwise.net' }));
    expect(log.count()).toBe(4);
    expect(log.count({ method: 'post' })).toBe(1);
    expect(log.count({ path: 'service/tickets/*' })).toBe(2);
    expect(log.count({ auth: 'member-cookie' })).toBe(1);
    expect(log.list({ host: 'API-EU.myconnectwise.net' })).toHaveLength(1);
  });

  it('clears', () => {
    const log = createCallLog();
    log.record(call({}));
    log.clear();
    expect(log.list()).toEqual([]);
  });

  it('keeps only the newest entries beyond its limit', () => {
    const log = createCallLog(3);
    for (let i = 1; i <= 5; i++) log.record(call({ search: `?n=${i}` }));
    expect(log.list().map((c) => c.search)).toEqual(['?n=3', '?n=4', '?n=5']);
  });
});
