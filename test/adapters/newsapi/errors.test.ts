import { describe, expect, it } from 'vitest';
import { classifyNewsapiFailure } from '../../../providers/newsapi/errors.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

const classify = (name: string) => classifyNewsapiFailure(loadReply('newsapi', name));

describe('classifyNewsapiFailure', () => {
  classifierConformance('newsapi', classifyNewsapiFailure);

  it('maps a missing key to auth', () => {
    expect(classify('error.missing-key')).toEqual({
      kind: 'auth',
      vendorCode: 'apiKeyMissing',
      detail: 'HTTP 401 apiKeyMissing',
    });
  });

  it('maps an invalid key to auth', () => {
    expect(classify('error.bad-key')).toEqual({
      kind: 'auth',
      vendorCode: 'apiKeyInvalid',
      detail: 'HTTP 401 apiKeyInvalid',
    });
  });

  it('maps a disabled key to auth', () => {
    expect(classify('error.disabled-key')).toMatchObject({ kind: 'auth', vendorCode: 'apiKeyDisabled' });
  });

  it('treats a 200 whose body says error as a failure', () => {
    expect(classify('error.bad-key-http200')).toEqual({
      kind: 'auth',
      vendorCode: 'apiKeyInvalid',
      detail: 'HTTP 200 apiKeyInvalid',
    });
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', () => {
    expect(classify('error.rate-limited-retry-after')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'rateLimited',
      detail: 'HTTP 429 rateLimited',
      retryAfterMs: 120_000,
    });
  });

  it('maps a 429 without a reset hint to rate-limited for an hour', () => {
    expect(classify('error.rate-limited')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'rateLimited',
      detail: 'HTTP 429 rateLimited',
      retryAfterMs: 3_600_000,
    });
  });

  it('maps apiKeyExhausted to rate-limited for an hour', () => {
    expect(classify('error.key-exhausted')).toEqual({
      kind: 'rate-limited',
      vendorCode: 'apiKeyExhausted',
      detail: 'HTTP 429 apiKeyExhausted',
      retryAfterMs: 3_600_000,
    });
  });

  it('maps 426 maximumResultsReached to plan', () => {
    expect(classify('error.maximum-results')).toEqual({
      kind: 'plan',
      vendorCode: 'maximumResultsReached',
      detail: 'HTTP 426 maximumResultsReached',
    });
  });

  it('maps a 426 for dates beyond the plan history to plan, whatever the code', () => {
    expect(classify('error.too-far-back')).toEqual({
      kind: 'plan',
      vendorCode: 'parameterInvalid',
      detail: 'HTTP 426 parameterInvalid',
    });
  });

  it('maps parametersMissing and parameterInvalid to bad-request', () => {
    expect(classify('error.parameters-missing')).toMatchObject({
      kind: 'bad-request',
      vendorCode: 'parametersMissing',
    });
    expect(classify('error.parameter-invalid')).toMatchObject({ kind: 'bad-request', vendorCode: 'parameterInvalid' });
  });

  it('maps unexpectedError on a 500 to unavailable', () => {
    expect(classify('error.server')).toEqual({
      kind: 'unavailable',
      vendorCode: 'unexpectedError',
      detail: 'HTTP 500 unexpectedError',
    });
  });

  it('maps a non-JSON 502 from a proxy to unavailable', () => {
    expect(classify('error.bad-gateway')).toEqual({ kind: 'unavailable', detail: 'HTTP 502' });
  });

  it('falls back to the status for an unknown code', () => {
    expect(
      classifyNewsapiFailure({ status: 400, headers: {}, body: { status: 'error', code: 'somethingNew' } }),
    ).toEqual({
      kind: 'bad-request',
      vendorCode: 'somethingNew',
      detail: 'HTTP 400 somethingNew',
    });
  });
});
