import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { marketstackStockCandles } from '../../../providers/marketstack/candles.js';
import { marketstack } from '../../../providers/marketstack/index.js';
import type { Interval, StockCandlesQuery } from '../../../src/core/index.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { fixtureNow as now, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const baseUrl = 'https://api.marketstack.com';
const daily: StockCandlesQuery = {
  symbol: 'AAPL',
  interval: '1d',
  from: '2026-01-28',
  to: '2026-01-30',
  adjusted: true,
};
const hourly: StockCandlesQuery = { ...daily, interval: '1h', from: '2026-01-30' };

describe('marketstackStockCandles.buildRequest', () => {
  it('asks /eod for the date range in ascending order, one full page, without the key', () => {
    const request = marketstackStockCandles.buildRequest(daily, { now });
    expect(request).toEqual({
      method: 'GET',
      path: '/eod',
      query: { symbols: 'AAPL', date_from: '2026-01-28', date_to: '2026-01-30', sort: 'ASC', limit: 1000 },
    });
    expect(Object.keys((request as { query: object }).query)).not.toContain('access_key');
  });

  it('asks /eod the same way for unadjusted bars, which it serves from the raw fields', () => {
    expect(marketstackStockCandles.buildRequest({ ...daily, adjusted: false }, { now })).toMatchObject({
      path: '/eod',
    });
  });

  it.each<[Interval, string]>([
    ['15m', '15min'],
    ['30m', '30min'],
    ['1h', '1hour'],
  ])('asks /intraday with interval %s as %s', (interval, vendorInterval) => {
    expect(marketstackStockCandles.buildRequest({ ...hourly, interval }, { now })).toEqual({
      method: 'GET',
      path: '/intraday',
      query: {
        symbols: 'AAPL',
        interval: vendorInterval,
        date_from: '2026-01-30',
        date_to: '2026-01-30',
        sort: 'ASC',
        limit: 1000,
      },
    });
  });

  it.each<Interval>(['1m', '5m', '4h', '1w', '1mo'])('declines interval %s as unsupported', (interval) => {
    expect(marketstackStockCandles.buildRequest({ ...daily, interval }, { now })).toEqual({
      unsupported: true,
      detail: `interval ${interval} not supported`,
    });
  });

  it('declines a daily range that needs more than one page of 1000 bars', () => {
    expect(marketstackStockCandles.buildRequest({ ...daily, from: '2020-01-01' }, { now })).toEqual({
      unsupported: true,
      detail: 'range needs more than 1000 bars',
    });
  });

  it('accepts a daily range of about 1000 trading days', () => {
    expect(marketstackStockCandles.buildRequest({ ...daily, from: '2022-06-01' }, { now })).toMatchObject({
      path: '/eod',
    });
  });

  it('declines a 15-minute range longer than one page', () => {
    const query = { ...hourly, interval: '15m', from: '2025-12-01', adjusted: false } as const;
    expect(marketstackStockCandles.buildRequest(query, { now })).toEqual({
      unsupported: true,
      detail: 'range needs more than 1000 bars',
    });
  });

  it('declines adjusted intraday bars starting more than 30 days back, as trades are never split-adjusted', () => {
    expect(marketstackStockCandles.buildRequest({ ...hourly, from: '2025-12-20' }, { now })).toEqual({
      unsupported: true,
      detail: 'adjusted intraday bars older than 30 days',
    });
  });

  it('serves the same old intraday range unadjusted', () => {
    expect(
      marketstackStockCandles.buildRequest({ ...hourly, from: '2025-12-20', adjusted: false }, { now }),
    ).toMatchObject({ path: '/intraday' });
  });
});

describe('normalizeCandles', () => {
  it('takes adj_* prices, labels bars with their date at 00:00Z and uses raw prices where adj_* are null', () => {
    expect(normalizeFixture('marketstack', marketstackStockCandles, 'stock-candles.ok', daily)).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      adjusted: true,
      candles: [
        { time: '2026-01-28T00:00:00.000Z', open: 256.2, high: 259, low: 255.1, close: 258.4, volume: 48120334 },
        { time: '2026-01-29T00:00:00.000Z', open: 258.4, high: 260.5, low: 257, close: 258.28, volume: 49000000 },
        { time: '2026-01-30T00:00:00.000Z', open: 257.2, high: 261.9, low: 256.8, close: 259.48, volume: 51234567 },
      ],
    });
  });

  it('takes the raw prices for adjusted=false', () => {
    expect(
      normalizeFixture('marketstack', marketstackStockCandles, 'stock-candles.ok', { ...daily, adjusted: false }),
    ).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      adjusted: false,
      candles: [
        { time: '2026-01-28T00:00:00.000Z', open: 512.4, high: 518, low: 510.2, close: 516.8, volume: 24060167 },
        { time: '2026-01-29T00:00:00.000Z', open: 516.8, high: 521, low: 514, close: 516.56, volume: 24500000 },
        { time: '2026-01-30T00:00:00.000Z', open: 257.2, high: 261.9, low: 256.8, close: 259.48, volume: 51234567 },
      ],
    });
  });

  it('sorts newest-first rows ascending', () => {
    const raw = marketstackStockCandles.responseSchema.parse({
      pagination: { limit: 1000, offset: 0, count: 2, total: 2 },
      data: [
        { date: '2026-01-30T00:00:00+0000', open: 2, high: 2, low: 2, close: 2 },
        { date: '2026-01-29T00:00:00+0000', open: 1, high: 1, low: 1, close: 1 },
      ],
    });
    const result = marketstackStockCandles.normalize(raw, daily, { receivedAt: now });
    expect('candles' in result && result.candles.map((candle) => candle.time)).toEqual([
      '2026-01-29T00:00:00.000Z',
      '2026-01-30T00:00:00.000Z',
    ]);
  });

  it('closes intraday bars at marketstack_last or last, never the previous-day close, and drops bars with neither', () => {
    expect(normalizeFixture('marketstack', marketstackStockCandles, 'stock-candles.intraday', hourly)).toEqual({
      symbol: 'AAPL',
      interval: '1h',
      adjusted: true,
      candles: [
        { time: '2026-01-30T15:00:00.000Z', open: 257.2, high: 258.1, low: 256.8, close: 257.9, volume: 2410022 },
        { time: '2026-01-30T16:00:00.000Z', open: 257.9, high: 258.6, low: 257.5, close: 258.3, volume: 1803344 },
        { time: '2026-01-30T17:00:00.000Z', open: 258.3, high: 258.9, low: 258, close: 258.7, volume: null },
      ],
    });
  });

  it('returns empty candles for a known symbol without trading in the range', () => {
    expect(normalizeFixture('marketstack', marketstackStockCandles, 'stock-candles.empty', daily)).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      adjusted: true,
      candles: [],
    });
  });

  it('drops a daily row missing a price', () => {
    const raw = marketstackStockCandles.responseSchema.parse({
      pagination: { limit: 1000, offset: 0, count: 1, total: 1 },
      data: [{ date: '2026-01-30T00:00:00+0000', open: null, high: 2, low: 1, close: 1.5 }],
    });
    expect(marketstackStockCandles.normalize(raw, { ...daily, adjusted: false }, { receivedAt: now })).toMatchObject({
      candles: [],
    });
  });

  it('rejects a row without its date', () => {
    const body = {
      pagination: { limit: 1000, offset: 0, count: 1, total: 1 },
      data: [{ open: 1, high: 2, low: 0.5, close: 1.5 }],
    };
    expect(marketstackStockCandles.responseSchema.safeParse(body).success).toBe(false);
  });
});

describe('marketstack candles over HTTP', () => {
  useNock();

  it('fetches daily bars with access_key in the query and the exact parameters', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/eod').query({
        symbols: 'AAPL',
        date_from: '2026-01-28',
        date_to: '2026-01-30',
        sort: 'ASC',
        limit: '1000',
        access_key: testKey,
      }),
      'marketstack',
      'stock-candles.ok',
    );
    const outcome = await roundTrip(marketstack, 'stock-candles', daily);
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'AAPL', adjusted: true } });
    expect(outcome.outcome === 'ok' && outcome.result.candles).toHaveLength(3);
  });

  it('fetches intraday bars from /intraday', async () => {
    const today = new Date().toISOString().slice(0, 10);
    replyWithFixture(
      nock(baseUrl).get('/v2/intraday').query({
        symbols: 'AAPL',
        interval: '1hour',
        date_from: today,
        date_to: today,
        sort: 'ASC',
        limit: '1000',
        access_key: testKey,
      }),
      'marketstack',
      'stock-candles.intraday',
    );
    const outcome = await roundTrip(marketstack, 'stock-candles', { ...hourly, from: today, to: today });
    expect(outcome.outcome === 'ok' && outcome.result.candles).toHaveLength(3);
  });

  it('maps the 422 no_valid_symbols_provided to not-found', async () => {
    replyWithFixture(nock(baseUrl).get('/v2/eod').query(true), 'marketstack', 'error.no-valid-symbols');
    expect(await roundTrip(marketstack, 'stock-candles', { ...daily, symbol: 'ZZZQ' })).toMatchObject({
      outcome: 'not-found',
      status: 422,
    });
  });

  it('maps a 429 with Retry-After to rate-limited with that wait', async () => {
    replyWithFixture(nock(baseUrl).get('/v2/eod').query(true), 'marketstack', 'error.rate-limited-retry-after', {
      'retry-after': '3',
    });
    expect(await roundTrip(marketstack, 'stock-candles', daily)).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429 rate_limit_reached',
      status: 429,
      retryAfterMs: 3_000,
    });
  });

  it('maps a 200 whose rows break the schema to malformed', async () => {
    nock(baseUrl)
      .get('/v2/eod')
      .query(true)
      .reply(200, { pagination: { total: 1 }, data: [{ date: '2026-01-30T00:00:00+0000', close: 'n/a' }] });
    expect(await roundTrip(marketstack, 'stock-candles', daily)).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });

  it('maps the empty page with every key renamed to malformed, not to an empty series', async () => {
    replyWithDrift(nock(baseUrl).get('/v2/eod').query(true), 'marketstack', 'stock-candles.empty');
    expect(await roundTrip(marketstack, 'stock-candles', daily)).toMatchObject({ outcome: 'malformed', status: 200 });
  });
});

describe('marketstack bars after a schema change', () => {
  it('rejects the empty page with every key renamed, while the recorded one stays an empty series', () => {
    expect(
      marketstackStockCandles.responseSchema.safeParse(driftedReply('marketstack', 'stock-candles.empty').body).success,
    ).toBe(false);
    expect(normalizeFixture('marketstack', marketstackStockCandles, 'stock-candles.empty', daily)).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      adjusted: true,
      candles: [],
    });
  });

  it('rejects a page without pagination', () => {
    const body = { data: [{ date: '2026-01-30T00:00:00+0000', open: 1, high: 2, low: 0.5, close: 1.5 }] };
    expect(marketstackStockCandles.responseSchema.safeParse(body).success).toBe(false);
  });
});
