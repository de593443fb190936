import { describe, expect, it } from 'vitest';
import { classifyMediastackFailure } from '../../../providers/mediastack/errors.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

const classify = (name: string) => classifyMediastackFailure(loadReply('mediastack', name));

describe('classifyMediastackFailure', () => {
  classifierConformance('mediastack', classifyMediastackFailure);

  it('maps a missing key to auth', () => {
    expect(classify('error.missing-key')).toEqual({
      kind: 'auth',
      vendorCode: 'missing_access_key',
      detail: 'HTTP 401 missing_access_key',
    });
  });

  it('maps an invalid key to auth', () => {
    expect(classify('error.bad-key')).toEqual({
      kind: 'auth',
      vendorCode: 'invalid_access_key',
      detail: 'HTTP 401 invalid_access_key',
    });
  });

  it('treats a 200 whose body carries the error envelope as a failure', () => {
    expect(classify('error.bad-key-http200')).toEqual({
      kind: 'auth',
      vendorCode: 'invalid_access_key',
      detail: 'HTTP 200 invalid_access_key',
    });
  });

  it('maps an inactive account to auth', () => {
    expect(classify('error.inactive-user')).toMatchObject({ kind: 'auth', vendorCode: 'inactive_user' });
  });

  it('maps HTTPS on the free plan to plan', () => {
    expect(classify('error.https-restricted')).toEqual({
      kind: 'plan',
      vendorCode: 'https_access_restricted',
      detail: 'HTTP 403 https_access_restricted',
    });
  });

  it('maps a function the plan does not include to plan', () => {
    expect(classify('error.function-restricted')).toEqual({
      kind: 'plan',
      vendorCode: 'function_access_restricted',
      detail: 'HTTP 403 function_access_restricted',
    });
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', () => {
    expect(classify('error.rate-limited-retry-after')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'rate_limit_reached',
      detail: 'HTTP 429 rate_limit_reached',
      retryAfterMs: 30_000,
    });
  });

  it('maps rate_limit_reached without a reset hint to rate-limited for a minute', () => {
    expect(classify('error.rate-limited')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'rate_limit_reached',
      detail: 'HTTP 429 rate_limit_reached',
      retryAfterMs: 60_000,
    });
  });

  it('maps usage_limit_reached, the spent monthly quota, to rate-limited for a day', () => {
    expect(classify('error.usage-limit')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'usage_limit_reached',
      detail: 'HTTP 429 usage_limit_reached',
      retryAfterMs: 86_400_000,
    });
  });

  it('maps validation_error and invalid_api_function to bad-request', () => {
    expect(classify('error.validation')).toEqual({
      kind: 'bad-request',
      vendorCode: 'validation_error',
      detail: 'HTTP 422 validation_error',
    });
    expect(classify('error.invalid-function')).toMatchObject({
      kind: 'bad-request',
      vendorCode: 'invalid_api_function',
    });
  });

  it('maps internal_error on a 500 to unavailable', () => {
    expect(classify('error.server')).toEqual({
      kind: 'unavailable',
      vendorCode: 'internal_error',
      detail: 'HTTP 500 internal_error',
    });
  });

  it('maps a non-JSON 502 from a proxy to unavailable', () => {
    expect(classify('error.bad-gateway')).toEqual({ kind: 'unavailable', detail: 'HTTP 502' });
  });

  it('falls back to the status for an unknown code', () => {
    expect(classifyMediastackFailure({ status: 400, headers: {}, body: { error: { code: 'something_new' } } })).toEqual(
      {
        kind: 'bad-request',
        vendorCode: 'something_new',
        detail: 'HTTP 400 something_new',
      },
    );
  });
});
