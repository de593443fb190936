import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { polygonCryptoCandles, polygonStockCandles } from '../../../providers/polygon/candles.js';
import { polygon } from '../../../providers/polygon/index.js';
import type { Interval, StockCandlesQuery } from '../../../src/core/index.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { fixtureNow as now, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const baseUrl = 'https://api.massive.com';
const daily: StockCandlesQuery = {
  symbol: 'AAPL',
  interval: '1d',
  from: '2026-01-29',
  to: '2026-01-30',
  adjusted: true,
};

describe('polygonStockCandles.buildRequest', () => {
  it('builds the aggregates path with dates and asks for adjusted bars in ascending order', () => {
    const request = polygonStockCandles.buildRequest(daily, { now });
    expect(request).toEqual({
      method: 'GET',
      path: '/v2/aggs/ticker/AAPL/range/1/day/2026-01-29/2026-01-30',
      query: { adjusted: true, sort: 'asc', limit: 50_000 },
    });
    expect(Object.keys((request as { query: object }).query)).not.toContain('apiKey');
  });

  it('passes adjusted=false through', () => {
    expect(polygonStockCandles.buildRequest({ ...daily, adjusted: false }, { now })).toMatchObject({
      query: { adjusted: false },
    });
  });

  it.each<[Interval, string]>([
    ['1m', '1/minute'],
    ['5m', '5/minute'],
    ['15m', '15/minute'],
    ['30m', '30/minute'],
    ['1h', '1/hour'],
    ['4h', '4/hour'],
    ['1d', '1/day'],
    ['1w', '1/week'],
    ['1mo', '1/month'],
  ])('maps interval %s to %s', (interval, range) => {
    expect(polygonStockCandles.buildRequest({ ...daily, interval }, { now })).toMatchObject({
      path: `/v2/aggs/ticker/AAPL/range/${range}/2026-01-29/2026-01-30`,
    });
  });
});

describe('polygonCryptoCandles.buildRequest', () => {
  it('uses the X: pair ticker and sends no adjusted flag', () => {
    expect(
      polygonCryptoCandles.buildRequest(
        { symbol: 'BTC', vs: 'USD', interval: '4h', from: '2026-01-29', to: '2026-01-30' },
        { now },
      ),
    ).toEqual({
      method: 'GET',
      path: '/v2/aggs/ticker/X:BTCUSD/range/4/hour/2026-01-29/2026-01-30',
      query: { sort: 'asc', limit: 50_000 },
    });
  });
});

describe('normalizeStockCandles', () => {
  it('labels daily bars stamped at midnight New York time with their trading date at 00:00Z', () => {
    expect(normalizeFixture('polygon', polygonStockCandles, 'stock-candles.ok', daily)).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      adjusted: true,
      candles: [
        { time: '2026-01-29T00:00:00.000Z', open: 256.5, high: 260.1, low: 255.9, close: 258.28, volume: 48120334 },
        { time: '2026-01-30T00:00:00.000Z', open: 257.2, high: 261.9, low: 256.8, close: 259.48, volume: 51234567 },
      ],
    });
  });

  it('labels a summer daily bar (04:00Z) with its trading date', () => {
    const raw = polygonStockCandles.responseSchema.parse({
      status: 'OK',
      queryCount: 1,
      resultsCount: 1,
      results: [{ t: Date.parse('2026-07-01T04:00:00Z'), o: 1, h: 2, l: 0.5, c: 1.5, v: 10 }],
    });
    expect(polygonStockCandles.normalize(raw, daily, { receivedAt: now })).toMatchObject({
      candles: [{ time: '2026-07-01T00:00:00.000Z' }],
    });
  });

  it('keeps intraday open times, sorts ascending, reads strings and leaves a missing volume null', () => {
    const query: StockCandlesQuery = {
      ...daily,
      interval: '5m',
      from: '2026-01-30',
      to: '2026-01-30',
      adjusted: false,
    };
    expect(normalizeFixture('polygon', polygonStockCandles, 'stock-candles.intraday', query)).toEqual({
      symbol: 'AAPL',
      interval: '5m',
      adjusted: false,
      candles: [
        { time: '2026-01-30T14:30:00.000Z', open: 256.9, high: 257.5, low: 256.8, close: 257.4, volume: null },
        { time: '2026-01-30T14:35:00.000Z', open: 257.2, high: 257.9, low: 257.1, close: 257.6, volume: 412003 },
      ],
    });
  });

  it('returns NotFound for resultsCount 0 without results', () => {
    expect(
      normalizeFixture('polygon', polygonStockCandles, 'stock-candles.unknown-symbol', { ...daily, symbol: 'ZZZQ' }),
    ).toEqual({
      notFound: true,
      detail: 'no bars for ticker and range',
    });
  });

  it('rejects a bar without its timestamp', () => {
    const body = { status: 'OK', queryCount: 1, resultsCount: 1, results: [{ o: 1, h: 2, l: 0.5, c: 1.5 }] };
    expect(polygonStockCandles.responseSchema.safeParse(body).success).toBe(false);
  });
});

describe('normalizeCryptoCandles', () => {
  it('labels daily crypto bars with their UTC date', () => {
    const query = { symbol: 'BTC', vs: 'USD', interval: '1d', from: '2026-01-29', to: '2026-01-30' } as const;
    expect(normalizeFixture('polygon', polygonCryptoCandles, 'crypto-candles.ok', query)).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      interval: '1d',
      candles: [
        { time: '2026-01-29T00:00:00.000Z', open: 89900, high: 91200, low: 89500, close: 90800.3, volume: 20111.5 },
        {
          time: '2026-01-30T00:00:00.000Z',
          open: 90800.3,
          high: 92500,
          low: 90100,
          close: 92010.5,
          volume: 18233.4411,
        },
      ],
    });
  });
});

describe('polygon candles over HTTP', () => {
  useNock();

  it('fetches stock bars with the Bearer key and the exact query', async () => {
    replyWithFixture(
      nock(baseUrl)
        .matchHeader('authorization', `Bearer ${testKey}`)
        .get('/v2/aggs/ticker/AAPL/range/1/day/2026-01-29/2026-01-30')
        .query({ adjusted: 'true', sort: 'asc', limit: '50000' }),
      'polygon',
      'stock-candles.ok',
    );
    const outcome = await roundTrip(polygon, 'stock-candles', daily);
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'AAPL', adjusted: true } });
  });

  it('fetches crypto bars for the X: pair', async () => {
    replyWithFixture(
      nock(baseUrl)
        .matchHeader('authorization', `Bearer ${testKey}`)
        .get('/v2/aggs/ticker/X:BTCUSD/range/1/day/2026-01-29/2026-01-30')
        .query({ sort: 'asc', limit: '50000' }),
      'polygon',
      'crypto-candles.ok',
    );
    const outcome = await roundTrip(polygon, 'crypto-candles', {
      symbol: 'BTC',
      vs: 'USD',
      interval: '1d',
      from: '2026-01-29',
      to: '2026-01-30',
    });
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'BTC', vs: 'USD' } });
  });

  it('maps an empty aggregates answer to not-found', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/aggs/ticker/ZZZQ/range/1/day/2026-01-29/2026-01-30').query(true),
      'polygon',
      'stock-candles.unknown-symbol',
    );
    expect(await roundTrip(polygon, 'stock-candles', { ...daily, symbol: 'ZZZQ' })).toEqual({
      outcome: 'not-found',
      detail: 'no bars for ticker and range',
      status: 200,
    });
  });

  it('maps a 429 with Retry-After to rate-limited with that wait', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/aggs/ticker/AAPL/range/1/day/2026-01-29/2026-01-30').query(true),
      'polygon',
      'error.rate-limited-retry-after',
      { 'retry-after': '12' },
    );
    expect(await roundTrip(polygon, 'stock-candles', daily)).toMatchObject({
      outcome: 'rate-limited',
      retryAfterMs: 12_000,
    });
  });

  it('maps the empty answer with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(
      nock(baseUrl).get('/v2/aggs/ticker/ZZZQ/range/1/day/2026-01-29/2026-01-30').query(true),
      'polygon',
      'stock-candles.unknown-symbol',
    );
    expect(await roundTrip(polygon, 'stock-candles', { ...daily, symbol: 'ZZZQ' })).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });
});

describe('polygon aggregates after a schema change', () => {
  it('rejects the empty answer with every key renamed, while the recorded one stays NotFound', () => {
    const drifted = driftedReply('polygon', 'stock-candles.unknown-symbol').body;
    expect(polygonStockCandles.responseSchema.safeParse(drifted).success).toBe(false);
    expect(polygonCryptoCandles.responseSchema.safeParse(drifted).success).toBe(false);
    expect(
      normalizeFixture('polygon', polygonStockCandles, 'stock-candles.unknown-symbol', { ...daily, symbol: 'ZZZQ' }),
    ).toEqual({ notFound: true, detail: 'no bars for ticker and range' });
  });

  it('rejects a count above 0 that comes without its bars', () => {
    const body = { adjusted: true, queryCount: 2, request_id: 'b7d1e0', resultsCount: 2, status: 'OK', ticker: 'AAPL' };
    expect(polygonStockCandles.responseSchema.safeParse(body).success).toBe(false);
  });
});
