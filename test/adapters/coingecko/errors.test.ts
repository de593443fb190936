import { describe, expect, it } from 'vitest';
import { classifyCoingeckoFailure } from '../../../providers/coingecko/errors.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';

const classify = (name: string) => classifyCoingeckoFailure(loadReply('coingecko', name));

describe('classifyCoingeckoFailure', () => {
  classifierConformance('coingecko', classifyCoingeckoFailure, {
    notFound: ['crypto-candles.unknown-coin'],
  });

  it('maps a 401 with code 10002 to auth', () => {
    expect(classify('error.bad-key')).toEqual({ kind: 'auth', vendorCode: '10002', detail: 'HTTP 401 10002' });
  });

  it('reads the code from the nested {"error":{"status":…}} shape', () => {
    expect(classify('error.bad-key-nested')).toEqual({ kind: 'auth', vendorCode: '10002', detail: 'HTTP 401 10002' });
  });

  it('maps code 10005 to plan whatever the HTTP status', () => {
    expect(classify('error.plan')).toEqual({ kind: 'plan', vendorCode: '10005', detail: 'HTTP 401 10005' });
  });

  it('maps a 400 with code 10010 (key for the other host) to auth', () => {
    expect(classify('error.pro-key-on-public-host')).toEqual({
      kind: 'auth',
      vendorCode: '10010',
      detail: 'HTTP 400 10010',
    });
  });

  it('maps code 10011 to auth', () => {
    const reply = { status: 400, headers: {}, body: { status: { error_code: 10011, error_message: 'Wrong key' } } };
    expect(classifyCoingeckoFailure(reply)).toMatchObject({ kind: 'auth', vendorCode: '10011' });
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', () => {
    expect(classify('error.rate-limited-retry-after')).toEqual({
      kind: 'rate-limited',
      vendorCode: '429',
      retryAfterMs: 30_000,
      detail: 'HTTP 429 429',
    });
  });

  it('maps a 429 without a reset hint to rate-limited with a one-minute wait', () => {
    expect(classify('error.rate-limited')).toEqual({
      kind: 'rate-limited',
      vendorCode: '429',
      retryAfterMs: 60_000,
      detail: 'HTTP 429 429',
    });
  });

  it('maps a 404 {"error":"coin not found"} to not-found', () => {
    expect(classify('crypto-candles.unknown-coin')).toEqual({ kind: 'not-found', detail: 'HTTP 404' });
  });

  it('maps a 500 to unavailable', () => {
    expect(classify('error.server')).toEqual({ kind: 'unavailable', vendorCode: '500', detail: 'HTTP 500 500' });
  });

  it('maps a 503 with an HTML body to unavailable', () => {
    expect(classify('error.outage')).toEqual({ kind: 'unavailable', detail: 'HTTP 503' });
  });

  it('maps a CDN 403 to unavailable, not plan', () => {
    expect(classify('error.cdn-blocked')).toEqual({ kind: 'unavailable', detail: 'HTTP 403' });
  });
});
