import { describe, expect, it } from 'vitest';
import { classifyMarketauxFailure } from '../../../providers/marketaux/errors.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

const classify = (name: string) => classifyMarketauxFailure(loadReply('marketaux', name));

describe('classifyMarketauxFailure', () => {
  classifierConformance('marketaux', classifyMarketauxFailure);

  it('maps a 401 invalid_api_token to auth', () => {
    expect(classify('error.bad-key')).toEqual({
      kind: 'auth',
      vendorCode: 'invalid_api_token',
      detail: 'HTTP 401 invalid_api_token',
    });
  });

  it('maps a 403 endpoint_access_restricted to plan', () => {
    expect(classify('error.plan-restricted')).toEqual({
      kind: 'plan',
      vendorCode: 'endpoint_access_restricted',
      detail: 'HTTP 403 endpoint_access_restricted',
    });
  });

  it('maps a 429 rate_limit_reached without a reset hint to rate-limited for the 60 s window', () => {
    expect(classify('error.rate-limited')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'rate_limit_reached',
      detail: 'HTTP 429 rate_limit_reached',
      retryAfterMs: 60_000,
    });
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', () => {
    const reply = loadReply('marketaux', 'error.rate-limited');
    expect(classifyMarketauxFailure({ ...reply, headers: { ...reply.headers, 'retry-after': '17' } })).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 17_000,
    });
  });

  it('maps a 402 usage_limit_reached to rate-limited until 00:00 UTC after the reply Date', () => {
    // Date: Tue, 24 Nov 2026 21:05:00 GMT → 2 h 55 min to midnight UTC.
    expect(classify('error.usage-limit')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'usage_limit_reached',
      detail: 'HTTP 402 usage_limit_reached',
      retryAfterMs: 10_500_000,
    });
  });

  it('rests an hour on usage_limit_reached when the reply has no Date header', () => {
    const reply = loadReply('marketaux', 'error.usage-limit');
    expect(classifyMarketauxFailure({ ...reply, headers: {} })).toMatchObject({ retryAfterMs: 3_600_000 });
  });

  it('maps a 400 malformed_parameters to bad-request', () => {
    expect(classify('error.malformed-parameters')).toEqual({
      kind: 'bad-request',
      vendorCode: 'malformed_parameters',
      detail: 'HTTP 400 malformed_parameters',
    });
  });

  it('maps a 404 resource_not_found to not-found', () => {
    expect(classify('error.not-found')).toMatchObject({ kind: 'not-found', vendorCode: 'resource_not_found' });
  });

  it('maps a 404 invalid_api_endpoint to unavailable, as a wrong route is not an unknown symbol', () => {
    expect(classify('error.invalid-endpoint')).toEqual({
      kind: 'unavailable',
      vendorCode: 'invalid_api_endpoint',
      detail: 'HTTP 404 invalid_api_endpoint',
    });
  });

  it('maps a 500 server_error and a 503 maintenance_mode to unavailable', () => {
    expect(classify('error.server')).toEqual({
      kind: 'unavailable',
      vendorCode: 'server_error',
      detail: 'HTTP 500 server_error',
    });
    expect(classify('error.maintenance')).toMatchObject({ kind: 'unavailable', vendorCode: 'maintenance_mode' });
  });

  it('maps a non-JSON 502 from a proxy to unavailable', () => {
    expect(classify('error.bad-gateway')).toEqual({ kind: 'unavailable', detail: 'HTTP 502' });
  });

  it('treats a 200 whose body is the error envelope as a failure', () => {
    expect(
      classifyMarketauxFailure({ status: 200, headers: {}, body: { error: { code: 'invalid_api_token' } } }),
    ).toEqual({ kind: 'auth', vendorCode: 'invalid_api_token', detail: 'HTTP 200 invalid_api_token' });
  });

  it('falls back to the status for an unknown code', () => {
    expect(classifyMarketauxFailure({ status: 403, headers: {}, body: { error: { code: 'something_new' } } })).toEqual({
      kind: 'plan',
      vendorCode: 'something_new',
      detail: 'HTTP 403 something_new',
    });
  });
});
