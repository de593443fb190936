import { describe, expect, it } from 'vitest';
import { classifyPolygonFailure } from '../../../providers/polygon/errors.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

describe('classifyPolygonFailure', () => {
  classifierConformance('polygon', classifyPolygonFailure, {
    notFound: ['crypto-price.unknown-symbol', 'stock-quote.unknown-symbol'],
  });

  it('maps 401 ERROR for an unknown key to auth', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'error.bad-key'))).toEqual({
      kind: 'auth',
      vendorCode: 'ERROR',
      detail: 'HTTP 401 ERROR',
    });
  });

  it('maps 401 ERROR for a missing key to auth', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'error.missing-key'))).toMatchObject({ kind: 'auth' });
  });

  it('maps 403 NOT_AUTHORIZED to plan without the vendor message', () => {
    const failure = classifyPolygonFailure(loadReply('polygon', 'error.plan'));
    expect(failure).toEqual({ kind: 'plan', vendorCode: 'NOT_AUTHORIZED', detail: 'HTTP 403 NOT_AUTHORIZED' });
    expect(JSON.stringify(failure)).not.toContain('http');
  });

  it('maps a 429 without a reset header to rate-limited with a one-minute wait', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'error.rate-limited'))).toEqual({
      kind: 'rate-limited',
      vendorCode: 'ERROR',
      detail: 'HTTP 429 ERROR',
      retryAfterMs: 60_000,
    });
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'error.rate-limited-retry-after'))).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 12_000,
    });
  });

  it('maps a 404 NOT_FOUND snapshot to not-found', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'stock-quote.unknown-symbol'))).toEqual({
      kind: 'not-found',
      vendorCode: 'NOT_FOUND',
      detail: 'HTTP 404 NOT_FOUND',
    });
  });

  it('maps a 500 ERROR to unavailable', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'error.server'))).toEqual({
      kind: 'unavailable',
      vendorCode: 'ERROR',
      detail: 'HTTP 500 ERROR',
    });
  });

  it('maps a 502 with an HTML body to unavailable without a vendor code', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'error.bad-gateway-html'))).toEqual({
      kind: 'unavailable',
      detail: 'HTTP 502',
    });
  });

  it('treats a 200 whose body says status ERROR as unavailable', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'error.status-error-http200'))).toEqual({
      kind: 'unavailable',
      vendorCode: 'ERROR',
      detail: 'HTTP 200 ERROR',
    });
  });

  it('treats a 200 NOT_AUTHORIZED body as plan', () => {
    expect(classifyPolygonFailure({ status: 200, headers: {}, body: { status: 'NOT_AUTHORIZED' } })).toMatchObject({
      kind: 'plan',
    });
  });

  it('leaves an empty aggregates answer (200, resultsCount 0) to the normalizer', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'stock-candles.unknown-symbol'))).toBeNull();
  });

  it('accepts DELAYED aggregates from a delayed-data plan', () => {
    expect(classifyPolygonFailure(loadReply('polygon', 'stock-candles.intraday'))).toBeNull();
  });
});
