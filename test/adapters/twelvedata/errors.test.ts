import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { classifyTwelvedataFailure } from '../../../providers/twelvedata/errors.js';
import { twelvedata } from '../../../providers/twelvedata/index.js';
import { classifierConformance } from '../../helpers/classifier.js';
import { loadReply } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip } from '../../helpers/vendor.js';

const classify = (name: string) => classifyTwelvedataFailure(loadReply('twelvedata', name));

describe('classifyTwelvedataFailure', () => {
  classifierConformance('twelvedata', classifyTwelvedataFailure);

  it('maps a 401 body sent with HTTP 200 to auth', () => {
    expect(classify('error.bad-key-http200')).toEqual({ kind: 'auth', vendorCode: '401', detail: 'HTTP 200 401' });
  });

  it('maps a 401 body sent with HTTP 401 to auth', () => {
    expect(classify('error.bad-key')).toEqual({ kind: 'auth', vendorCode: '401', detail: 'HTTP 401 401' });
  });

  it('maps a 403 body (higher plan needed) to plan', () => {
    expect(classify('error.plan')).toEqual({ kind: 'plan', vendorCode: '403', detail: 'HTTP 200 403' });
  });

  it('maps a 429 to rate-limited until the next minute by the Date header', () => {
    expect(classify('error.rate-limited')).toEqual({
      kind: 'rate-limited',
      vendorCode: '429',
      detail: 'HTTP 429 429',
      retryAfterMs: 30_000,
    });
  });

  it('maps a 429 body inside HTTP 200 to rate-limited too', () => {
    expect(classify('error.credits-exhausted-http200')).toEqual({
      kind: 'rate-limited',
      vendorCode: '429',
      detail: 'HTTP 200 429',
      retryAfterMs: 15_000,
    });
  });

  it('prefers a Retry-After header when one is sent', () => {
    expect(classify('error.rate-limited-retry-after')).toMatchObject({ kind: 'rate-limited', retryAfterMs: 12_000 });
  });

  it('waits a whole minute on a 429 without a Date header', () => {
    expect(classify('error.rate-limited-no-date')).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
  });

  it('maps the 404 body of an unknown symbol to not-found', () => {
    expect(classify('error.unknown-symbol')).toEqual({ kind: 'not-found', vendorCode: '404', detail: 'HTTP 200 404' });
  });

  it('maps the 400 "symbol missing or invalid" body to not-found', () => {
    expect(classify('error.invalid-symbol')).toEqual({
      kind: 'not-found',
      vendorCode: '400',
      detail: 'HTTP 400 400',
    });
  });

  it('maps the 400 "no data on the specified dates" body to not-found', () => {
    expect(classify('error.no-data')).toMatchObject({ kind: 'not-found', vendorCode: '400' });
  });

  it('maps 414 (too many symbols) to bad-request', () => {
    expect(classify('error.parameter-too-long')).toMatchObject({ kind: 'bad-request', vendorCode: '414' });
  });

  it('maps a 500 body to unavailable, with HTTP 500 or 200', () => {
    expect(classify('error.server')).toEqual({ kind: 'unavailable', vendorCode: '500', detail: 'HTTP 500 500' });
    expect(classify('error.server-http200')).toMatchObject({ kind: 'unavailable', vendorCode: '500' });
  });

  it('maps a proxy HTML 502 to unavailable', () => {
    expect(classify('error.bad-gateway-html')).toEqual({ kind: 'unavailable', detail: 'HTTP 502' });
  });

  it('maps an error body without a code inside HTTP 200 to unavailable', () => {
    expect(classifyTwelvedataFailure({ status: 200, headers: {}, body: { status: 'error' } })).toEqual({
      kind: 'unavailable',
      detail: 'HTTP 200',
    });
  });
});

describe('twelvedata failure round trips', () => {
  useNock();

  it('reports a 429 as rate-limited with retryAfterMs', async () => {
    replyWithFixture(
      nock('https://api.twelvedata.com').get('/quote').query({ symbol: 'AAPL' }),
      'twelvedata',
      'error.rate-limited',
    );
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' })).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429 429',
      status: 429,
      retryAfterMs: 30_000,
    });
  });

  it('reports credits exhausted inside HTTP 200 as rate-limited', async () => {
    replyWithFixture(
      nock('https://api.twelvedata.com').get('/exchange_rate').query({ symbol: 'EUR/USD' }),
      'twelvedata',
      'error.credits-exhausted-http200',
    );
    expect(await roundTrip(twelvedata, 'forex-rate', { base: 'EUR', quote: 'USD' })).toMatchObject({
      outcome: 'rate-limited',
      status: 200,
      retryAfterMs: 15_000,
    });
  });

  it('reports a bad key inside HTTP 200 as auth without echoing the vendor message', async () => {
    replyWithFixture(
      nock('https://api.twelvedata.com').get('/quote').query({ symbol: 'AAPL' }),
      'twelvedata',
      'error.bad-key-http200',
    );
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' })).toEqual({
      outcome: 'auth',
      detail: 'HTTP 200 401',
      status: 200,
    });
  });
});
