import { describe, expect, it } from 'vitest';
import { classifyMarketstackFailure } from '../../../providers/marketstack/errors.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

const classify = (fixture: string) => classifyMarketstackFailure(loadReply('marketstack', fixture));

describe('classifyMarketstackFailure', () => {
  classifierConformance('marketstack', classifyMarketstackFailure);

  it('maps 401 invalid_access_key to auth without the vendor message', () => {
    const failure = classify('error.bad-key');
    expect(failure).toEqual({ kind: 'auth', vendorCode: 'invalid_access_key', detail: 'HTTP 401 invalid_access_key' });
    expect(JSON.stringify(failure)).not.toContain('apilayer.com');
  });

  it('maps 401 missing_access_key to auth', () => {
    expect(classify('error.missing-key')).toMatchObject({ kind: 'auth', vendorCode: 'missing_access_key' });
  });

  it('reads an error body sent with HTTP 200', () => {
    expect(classify('error.bad-key-http200')).toEqual({
      kind: 'auth',
      vendorCode: 'invalid_access_key',
      detail: 'HTTP 200 invalid_access_key',
    });
  });

  it('maps 403 function_access_restricted to plan', () => {
    expect(classify('error.plan')).toEqual({
      kind: 'plan',
      vendorCode: 'function_access_restricted',
      detail: 'HTTP 403 function_access_restricted',
    });
  });

  it('maps 422 no_valid_symbols_provided to not-found', () => {
    expect(classify('error.no-valid-symbols')).toEqual({
      kind: 'not-found',
      vendorCode: 'no_valid_symbols_provided',
      detail: 'HTTP 422 no_valid_symbols_provided',
    });
  });

  it('maps 422 validation_error to bad-request', () => {
    expect(classify('error.validation')).toMatchObject({ kind: 'bad-request', vendorCode: 'validation_error' });
  });

  it('maps a 429 rate_limit_reached without a reset header to rate-limited with a one-second wait', () => {
    expect(classify('error.rate-limited')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'rate_limit_reached',
      detail: 'HTTP 429 rate_limit_reached',
      retryAfterMs: 1_000,
    });
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', () => {
    expect(classify('error.rate-limited-retry-after')).toMatchObject({ kind: 'rate-limited', retryAfterMs: 3_000 });
  });

  it('rests the vendor an hour on 429 too_many_requests, marketstack’s monthly quota code', () => {
    expect(classify('error.monthly-quota')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'too_many_requests',
      detail: 'HTTP 429 too_many_requests',
      retryAfterMs: 3_600_000,
    });
  });

  it('keeps a Retry-After on a monthly quota 429', () => {
    const reply = { ...loadReply('marketstack', 'error.monthly-quota'), headers: { 'retry-after': '60' } };
    expect(classifyMarketstackFailure(reply)).toMatchObject({ retryAfterMs: 60_000 });
  });

  it('maps 500 internal_error to unavailable', () => {
    expect(classify('error.server')).toEqual({
      kind: 'unavailable',
      vendorCode: 'internal_error',
      detail: 'HTTP 500 internal_error',
    });
  });

  it('maps a 502 with an HTML body to unavailable without a vendor code', () => {
    expect(classify('error.bad-gateway-html')).toEqual({ kind: 'unavailable', detail: 'HTTP 502' });
  });
});
