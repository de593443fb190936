import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { finnhubStockCandles } from '../../../providers/finnhub/candles.js';
import { finnhub } from '../../../providers/finnhub/index.js';
import type { StockCandlesQuery } from '../../../src/core/index.js';
import { normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-31T12:00:00Z') };
const normalizeContext = { receivedAt: new Date('2026-01-31T12:00:00Z') };
const daily: StockCandlesQuery = {
  symbol: 'AAPL',
  interval: '1d',
  from: '2026-01-26',
  to: '2026-01-30',
  adjusted: true,
};

describe('finnhubStockCandles.buildRequest', () => {
  it('asks GET /stock/candle with resolution D and Unix seconds from the start of `from` to the end of `to`', () => {
    const request = finnhubStockCandles.buildRequest(daily, context);
    expect(request).toEqual({
      method: 'GET',
      path: '/stock/candle',
      query: { symbol: 'AAPL', resolution: 'D', from: 1769385600, to: 1769817599 },
    });
    expect(JSON.stringify(request)).not.toMatch(/token/i);
  });

  it.each([
    ['1m', '1'],
    ['5m', '5'],
    ['15m', '15'],
    ['30m', '30'],
    ['1h', '60'],
    ['1w', 'W'],
    ['1mo', 'M'],
  ] as const)('maps interval %s to resolution %s', (interval, resolution) => {
    expect(finnhubStockCandles.buildRequest({ ...daily, interval }, context)).toMatchObject({ query: { resolution } });
  });

  it('declines 4h, which finnhub has no resolution for', () => {
    expect(finnhubStockCandles.buildRequest({ ...daily, interval: '4h' }, context)).toEqual({
      unsupported: true,
      detail: 'interval 4h not supported',
    });
  });

  it('declines adjusted=false, since finnhub only serves split-adjusted bars', () => {
    expect(finnhubStockCandles.buildRequest({ ...daily, adjusted: false }, context)).toEqual({
      unsupported: true,
      detail: 'adjusted=false not supported',
    });
  });
});

describe('finnhubStockCandles.normalize', () => {
  it('zips the parallel arrays into daily bars labelled with their date at 00:00Z', () => {
    const result = normalizeFixture('finnhub', finnhubStockCandles, 'stock-candles.ok', daily);
    expect(result).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      adjusted: true,
      candles: [
        { time: '2026-01-26T00:00:00.000Z', open: 253.1, high: 256.9, low: 252.8, close: 255.41, volume: 41232100 },
        { time: '2026-01-27T00:00:00.000Z', open: 255.6, high: 259.12, low: 255.02, close: 258.27, volume: 38810456 },
        { time: '2026-01-28T00:00:00.000Z', open: 258.05, high: 258.9, low: 255.3, close: 256.44, volume: 35170022 },
        { time: '2026-01-29T00:00:00.000Z', open: 256.7, high: 259.41, low: 256.1, close: 258.28, volume: 40211874 },
        { time: '2026-01-30T00:00:00.000Z', open: 258.3, high: 260.1, low: 257.66, close: 259.48, volume: 52660313 },
      ],
    });
  });

  it('labels intraday bars with their open time in UTC', () => {
    const query: StockCandlesQuery = { ...daily, interval: '1h', from: '2026-01-30', to: '2026-01-30' };
    expect(normalizeFixture('finnhub', finnhubStockCandles, 'stock-candles.intraday', query)).toEqual({
      symbol: 'AAPL',
      interval: '1h',
      adjusted: true,
      candles: [
        { time: '2026-01-30T14:30:00.000Z', open: 258.3, high: 259.2, low: 258.1, close: 258.9, volume: 6120450 },
        { time: '2026-01-30T15:30:00.000Z', open: 258.9, high: 259.6, low: 258.75, close: 259.35, volume: 3401877 },
      ],
    });
  });

  it('sorts bars ascending and gives volume null when v is missing', () => {
    const raw = finnhubStockCandles.responseSchema.parse({
      s: 'ok',
      t: [1769472000, 1769385600],
      o: [2, 1],
      h: [2, 1],
      l: [2, 1],
      c: [2, 1],
    });
    expect(finnhubStockCandles.normalize(raw, daily, normalizeContext)).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      adjusted: true,
      candles: [
        { time: '2026-01-26T00:00:00.000Z', open: 1, high: 1, low: 1, close: 1, volume: null },
        { time: '2026-01-27T00:00:00.000Z', open: 2, high: 2, low: 2, close: 2, volume: null },
      ],
    });
  });

  it('returns NotFound for s "no_data"', () => {
    expect(normalizeFixture('finnhub', finnhubStockCandles, 'stock-candles.no-data', daily)).toEqual({
      notFound: true,
      detail: 'finnhub answered no_data',
    });
  });

  it('rejects arrays of different lengths and an unknown status', () => {
    const schema = finnhubStockCandles.responseSchema;
    expect(schema.safeParse({ s: 'ok', t: [1, 2], o: [1], h: [1, 2], l: [1, 2], c: [1, 2] }).success).toBe(false);
    expect(schema.safeParse({ s: 'error' }).success).toBe(false);
  });
});

describe('finnhub stock-candles round trip', () => {
  useNock();

  it('sends the key in X-Finnhub-Token and normalizes the bars', async () => {
    replyWithFixture(
      nock('https://finnhub.io')
        .matchHeader('x-finnhub-token', testKey)
        .get('/api/v1/stock/candle')
        .query({ symbol: 'AAPL', resolution: 'D', from: '1769385600', to: '1769817599' }),
      'finnhub',
      'stock-candles.ok',
    );
    const outcome = await roundTrip(finnhub, 'stock-candles', daily);
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'AAPL', interval: '1d' } });
    expect(outcome.outcome === 'ok' && outcome.result.candles).toHaveLength(5);
  });

  it('maps the free plan 403 to plan', async () => {
    replyWithFixture(nock('https://finnhub.io').get('/api/v1/stock/candle').query(true), 'finnhub', 'error.plan');
    expect(await roundTrip(finnhub, 'stock-candles', daily)).toMatchObject({ outcome: 'plan', status: 403 });
  });

  it('makes no call for an unsupported interval', async () => {
    expect(await roundTrip(finnhub, 'stock-candles', { ...daily, interval: '4h' })).toEqual({
      outcome: 'unsupported',
      detail: 'interval 4h not supported',
    });
  });
});
