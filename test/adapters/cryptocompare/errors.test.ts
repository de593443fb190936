import { describe, expect, it } from 'vitest';
import { classifyCryptocompareFailure } from '../../../providers/cryptocompare/errors.js';
import type { VendorReply } from '../../../src/core/index.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

const classify = (name: string) => classifyCryptocompareFailure(loadReply('cryptocompare', name));

function rateLimitReply(
  made: Record<string, unknown>,
  max: Record<string, unknown>,
  headers: VendorReply['headers'] = {},
): VendorReply {
  return {
    status: 200,
    headers,
    body: {
      Response: 'Error',
      Message: 'over',
      HasWarning: false,
      Type: 99,
      RateLimit: { calls_made: made, max_calls: max },
      Data: {},
    },
  };
}

describe('classifyCryptocompareFailure', () => {
  classifierConformance('cryptocompare', classifyCryptocompareFailure, {
    notFound: ['crypto-candles.unknown-symbol', 'crypto-price.unknown-symbol', 'crypto-price.unknown-vs'],
  });

  it('maps the 401 "API key required" envelope to auth', () => {
    expect(classify('error.key-required')).toEqual({ kind: 'auth', detail: 'HTTP 401' });
  });

  it('maps ParamWithError toTs (minute history beyond the plan) to plan', () => {
    expect(classify('error.plan-minute-history')).toEqual({
      kind: 'plan',
      vendorCode: '2:toTs',
      detail: 'HTTP 200 2:toTs',
    });
  });

  it('maps an HTTP 200 Type 99 body to rate-limited, waiting from the Date header to the next minute', () => {
    expect(classify('error.rate-limited')).toEqual({
      kind: 'rate-limited',
      vendorCode: '99',
      retryAfterMs: 45_000,
      detail: 'HTTP 200 99',
    });
  });

  it('waits for the next UTC day when the daily window is the one spent', () => {
    expect(classify('error.rate-limited-day')).toMatchObject({ kind: 'rate-limited', retryAfterMs: 17_592_000 });
  });

  it('waits for the first of next month when the monthly window is spent', () => {
    const reply = rateLimitReply(
      { minute: 1, month: 50_000 },
      { minute: 300, month: 50_000 },
      { date: 'Fri, 30 Jan 2026 12:00:00 GMT' },
    );
    expect(classifyCryptocompareFailure(reply)).toMatchObject({ retryAfterMs: 36 * 3_600_000 });
  });

  it('waits a whole window when the reply has no Date header', () => {
    const reply = rateLimitReply({ second: 1, hour: 3_000 }, { second: 20, hour: 3_000 });
    expect(classifyCryptocompareFailure(reply)).toMatchObject({ retryAfterMs: 3_600_000 });
  });

  it('waits a minute when RateLimit names no spent window', () => {
    const reply = rateLimitReply({ price: { minute: 5 } }, { price: { minute: 300 } });
    expect(classifyCryptocompareFailure(reply)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', () => {
    expect(classify('error.rate-limited-429')).toEqual({
      kind: 'rate-limited',
      vendorCode: '99',
      retryAfterMs: 17_000,
      detail: 'HTTP 429 99',
    });
  });

  it("reads an HTTP-date Retry-After against the reply's own Date header", () => {
    const reply = rateLimitReply(
      {},
      {},
      {
        date: 'Fri, 30 Jan 2026 09:30:00 GMT',
        'retry-after': 'Fri, 30 Jan 2026 09:30:20 GMT',
      },
    );
    expect(classifyCryptocompareFailure(reply)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 20_000 });
  });

  it('maps a bare 429 to rate-limited with a one-minute wait', () => {
    expect(classifyCryptocompareFailure({ status: 429, headers: {}, body: '' })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 60_000,
      detail: 'HTTP 429',
    });
  });

  it('maps the HTTP 200 "market does not exist" envelope (Type 2, no parameter) to not-found', () => {
    expect(classify('crypto-price.unknown-symbol')).toEqual({
      kind: 'not-found',
      vendorCode: '2',
      detail: 'HTTP 200 2',
    });
  });

  it('maps ParamWithError fsym to not-found', () => {
    expect(classify('crypto-candles.unknown-symbol')).toEqual({
      kind: 'not-found',
      vendorCode: '2:fsym',
      detail: 'HTTP 200 2:fsym',
    });
  });

  it('maps ParamWithError tsyms (no data for the quote currency) to not-found', () => {
    expect(classify('crypto-price.unknown-vs')).toMatchObject({ kind: 'not-found', vendorCode: '2:tsyms' });
  });

  it('maps an error on any other parameter to bad-request', () => {
    expect(classify('error.bad-param')).toEqual({
      kind: 'bad-request',
      vendorCode: '2:limit',
      detail: 'HTTP 200 2:limit',
    });
  });

  it('maps the older Type 1 "market does not exist" to not-found and an unknown type to bad-request', () => {
    const reply = (type: number): VendorReply => ({
      status: 200,
      headers: {},
      body: { Response: 'Error', Type: type },
    });
    expect(classifyCryptocompareFailure(reply(1))).toMatchObject({ kind: 'not-found', vendorCode: '1' });
    expect(classifyCryptocompareFailure(reply(5))).toMatchObject({ kind: 'bad-request', vendorCode: '5' });
  });

  it('maps a 500 to unavailable', () => {
    expect(classify('error.server')).toEqual({ kind: 'unavailable', detail: 'HTTP 500' });
  });

  it('maps a 502 with an HTML body to unavailable', () => {
    expect(classify('error.bad-gateway')).toEqual({ kind: 'unavailable', detail: 'HTTP 502' });
  });

  it('returns null for the rate-limit status answer, whose Type is 100', () => {
    const body = {
      Response: 'Success',
      Message: '',
      Type: 100,
      RateLimit: {},
      Data: { calls_made: {}, calls_left: {} },
    };
    expect(classifyCryptocompareFailure({ status: 200, headers: {}, body })).toBeNull();
  });
});
