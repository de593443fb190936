import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CryptoCandlesQuery } from '../../../src/core/index.js';
import { coinapiCryptoCandles } from '../../../providers/coinapi/candles.js';
import { coinapi } from '../../../providers/coinapi/index.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const now = new Date('2026-01-30T09:30:00.000Z');
const context = { now };
const daily: CryptoCandlesQuery = { symbol: 'BTC', vs: 'USD', interval: '1d', from: '2026-01-27', to: '2026-01-29' };
const hourly: CryptoCandlesQuery = { symbol: 'ETH', vs: 'USD', interval: '1h', from: '2026-01-30', to: '2026-01-30' };

const normalize = (name: string, query: CryptoCandlesQuery) =>
  normalizeFixture('coinapi', coinapiCryptoCandles, name, query);

describe('coinapiCryptoCandles.buildRequest', () => {
  it('asks the OHLCV history by asset pair with an exclusive time_end and a limit that fits the range', () => {
    expect(coinapiCryptoCandles.buildRequest(daily, context)).toEqual({
      method: 'GET',
      path: '/v1/ohlcv/BTC/USD/history',
      query: { period_id: '1DAY', time_start: '2026-01-27T00:00:00', time_end: '2026-01-30T00:00:00', limit: 3 },
    });
  });

  it('counts only the bars up to now in the limit', () => {
    expect(coinapiCryptoCandles.buildRequest(hourly, context)).toEqual({
      method: 'GET',
      path: '/v1/ohlcv/ETH/USD/history',
      query: { period_id: '1HRS', time_start: '2026-01-30T00:00:00', time_end: '2026-01-31T00:00:00', limit: 10 },
    });
  });

  it.each([
    ['1m', '1MIN'],
    ['5m', '5MIN'],
    ['15m', '15MIN'],
    ['30m', '30MIN'],
    ['1h', '1HRS'],
    ['4h', '4HRS'],
    ['1d', '1DAY'],
    ['1mo', '1MTH'],
  ] as const)('maps interval %s to period_id %s', (interval, periodId) => {
    const query = { ...daily, interval, from: '2026-01-29', to: '2026-01-29' };
    expect(coinapiCryptoCandles.buildRequest(query, context)).toMatchObject({ query: { period_id: periodId } });
  });

  it('counts calendar months for 1mo bars', () => {
    const query: CryptoCandlesQuery = { ...daily, interval: '1mo', from: '2025-01-01', to: '2025-12-31' };
    expect(coinapiCryptoCandles.buildRequest(query, context)).toMatchObject({
      query: { period_id: '1MTH', time_start: '2025-01-01T00:00:00', time_end: '2026-01-01T00:00:00', limit: 12 },
    });
  });

  it('serves a whole past day of 1m bars in one call', () => {
    const query: CryptoCandlesQuery = { ...daily, interval: '1m', from: '2026-01-29', to: '2026-01-29' };
    expect(coinapiCryptoCandles.buildRequest(query, context)).toMatchObject({ query: { limit: 1_440 } });
  });

  it('refuses a range that needs more than 1500 rows', () => {
    const query: CryptoCandlesQuery = { ...daily, interval: '1m', from: '2026-01-28', to: '2026-01-29' };
    expect(coinapiCryptoCandles.buildRequest(query, context)).toEqual({
      unsupported: true,
      detail: 'range needs 2880 1m bars, more than 1500',
    });
  });

  it('refuses interval 1w', () => {
    expect(coinapiCryptoCandles.buildRequest({ ...daily, interval: '1w' }, context)).toEqual({
      unsupported: true,
      detail: 'interval 1w not supported',
    });
  });

  it('asks one row for a range that lies wholly in the future', () => {
    const query: CryptoCandlesQuery = { ...daily, from: '2026-02-05', to: '2026-02-06' };
    expect(coinapiCryptoCandles.buildRequest(query, context)).toMatchObject({ query: { limit: 1 } });
  });

  it('puts no key parameter in the request', () => {
    const request = JSON.stringify(coinapiCryptoCandles.buildRequest(daily, context));
    expect(request).not.toMatch(/apikey|x-coinapi-key/i);
  });
});

describe('coinapiCryptoCandles.normalize', () => {
  it('labels daily bars with their UTC date and keeps the traded volume', () => {
    expect(normalize('crypto-candles.ok', daily)).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      interval: '1d',
      candles: [
        {
          time: '2026-01-27T00:00:00.000Z',
          open: 90110.5,
          high: 91980.12,
          low: 89750,
          close: 91802.33,
          volume: 18234.56781234,
        },
        {
          time: '2026-01-28T00:00:00.000Z',
          open: 91802.33,
          high: 92640,
          low: 91200.01,
          close: 92088.3,
          volume: 15873.1,
        },
        {
          time: '2026-01-29T00:00:00.000Z',
          open: 92088.3,
          high: 92500,
          low: 91010.4,
          close: 91990.9,
          volume: 14002.25,
        },
      ],
    });
  });

  it('sorts intraday bars ascending, reads prices sent as strings and gives null for a missing or null volume', () => {
    expect(normalize('crypto-candles.intraday', hourly)).toEqual({
      symbol: 'ETH',
      vs: 'USD',
      interval: '1h',
      candles: [
        { time: '2026-01-30T00:00:00.000Z', open: 3190.1, high: 3203, low: 3188.4, close: 3201.5, volume: null },
        { time: '2026-01-30T01:00:00.000Z', open: 3201.5, high: 3210.25, low: 3198, close: 3205.75, volume: null },
      ],
    });
  });

  it('returns NotFound for an empty answer', () => {
    expect(normalize('crypto-candles.empty', daily)).toEqual({
      notFound: true,
      detail: 'no bars for pair and range',
    });
  });
});

describe('coinapiCryptoCandles.responseSchema', () => {
  it('rejects a bar with a null price, an empty-string price or no period start', () => {
    const bar = { time_period_start: '2026-01-27T00:00:00.0000000Z', price_open: 1, price_high: 1, price_low: 1 };
    for (const body of [
      [{ ...bar, price_close: null }],
      [{ ...bar, price_close: '' }],
      [{ price_open: 1, price_high: 1, price_low: 1, price_close: 1 }],
      { error: 'no data' },
    ]) {
      expect(coinapiCryptoCandles.responseSchema.safeParse(body).success).toBe(false);
    }
  });
});

describe('crypto-candles round trip', () => {
  useNock();
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const historyQuery = {
    period_id: '1DAY',
    time_start: '2026-01-27T00:00:00',
    time_end: '2026-01-30T00:00:00',
    limit: '3',
  };

  it('sends the key in the X-CoinAPI-Key header, not the query, and normalizes the bars', async () => {
    replyWithFixture(
      nock(coinapi.defaultBaseUrl)
        .get('/v1/ohlcv/BTC/USD/history')
        .query(historyQuery)
        .matchHeader('x-coinapi-key', testKey),
      'coinapi',
      'crypto-candles.ok',
    );
    const outcome = await roundTrip(coinapi, 'crypto-candles', daily);
    expect(outcome).toMatchObject({
      outcome: 'ok',
      result: { symbol: 'BTC', vs: 'USD', interval: '1d' },
    });
    if (outcome.outcome !== 'ok') return;
    expect(outcome.result.candles.map((candle) => candle.time)).toEqual([
      '2026-01-27T00:00:00.000Z',
      '2026-01-28T00:00:00.000Z',
      '2026-01-29T00:00:00.000Z',
    ]);
  });

  it('maps a 429 with an ISO X-Ratelimit-Reset to rate-limited with retryAfterMs', async () => {
    replyWithFixture(
      nock(coinapi.defaultBaseUrl).get('/v1/ohlcv/BTC/USD/history').query(historyQuery),
      'coinapi',
      'error.rate-limited',
    );
    expect(await roundTrip(coinapi, 'crypto-candles', daily)).toMatchObject({
      outcome: 'rate-limited',
      retryAfterMs: 60_500,
    });
  });

  it('maps the 550 for an unknown pair to not-found', async () => {
    replyWithFixture(
      nock(coinapi.defaultBaseUrl).get('/v1/ohlcv/BTC/XYZ/history').query(true),
      'coinapi',
      'error.unknown-pair',
    );
    const outcome = await roundTrip(coinapi, 'crypto-candles', { ...daily, vs: 'XYZ' });
    expect(outcome.outcome).toBe('not-found');
  });

  it('maps an empty answer to not-found', async () => {
    nock(coinapi.defaultBaseUrl).get('/v1/ohlcv/BTC/USD/history').query(historyQuery).reply(200, []);
    expect((await roundTrip(coinapi, 'crypto-candles', daily)).outcome).toBe('not-found');
  });

  it('maps a schema-invalid answer to malformed', async () => {
    nock(coinapi.defaultBaseUrl)
      .get('/v1/ohlcv/BTC/USD/history')
      .query(historyQuery)
      .reply(200, [{ time_period_start: 'soon', price_open: 1 }]);
    expect((await roundTrip(coinapi, 'crypto-candles', daily)).outcome).toBe('malformed');
  });

  it('makes no call for an interval it refuses', async () => {
    expect(await roundTrip(coinapi, 'crypto-candles', { ...daily, interval: '1w' })).toEqual({
      outcome: 'unsupported',
      detail: 'interval 1w not supported',
    });
  });

  it('maps bars with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(
      nock(coinapi.defaultBaseUrl).get('/v1/ohlcv/BTC/USD/history').query(historyQuery),
      'coinapi',
      'crypto-candles.ok',
    );
    expect(await roundTrip(coinapi, 'crypto-candles', daily)).toMatchObject({ outcome: 'malformed', status: 200 });
  });
});

describe('coinapi bars after a schema change', () => {
  it('rejects bars with every key renamed, while the recorded empty answer stays NotFound', () => {
    expect(
      coinapiCryptoCandles.responseSchema.safeParse(driftedReply('coinapi', 'crypto-candles.ok').body).success,
    ).toBe(false);
    expect(normalize('crypto-candles.empty', daily)).toEqual({ notFound: true, detail: 'no bars for pair and range' });
  });
});
