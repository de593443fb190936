import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { twelvedataCryptoCandles, twelvedataStockCandles } from '../../../providers/twelvedata/candles.js';
import { twelvedata } from '../../../providers/twelvedata/index.js';
import type { Interval } from '../../../src/core/index.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { loadReply, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-30T21:00:00Z') };
const normalizeContext = { receivedAt: new Date('2026-01-30T21:00:00Z') };
const base = 'https://api.twelvedata.com';
const daily = { symbol: 'AAPL', interval: '1d', from: '2026-01-28', to: '2026-01-30', adjusted: true } as const;

describe('twelvedataStockCandles.buildRequest', () => {
  it('asks GET /time_series in UTC, ascending, split-adjusted, up to the day after `to`, without the key', () => {
    const request = twelvedataStockCandles.buildRequest(daily, context);
    expect(request).toEqual({
      method: 'GET',
      path: '/time_series',
      query: {
        symbol: 'AAPL',
        interval: '1day',
        start_date: '2026-01-28',
        end_date: '2026-01-31',
        order: 'asc',
        outputsize: 5000,
        timezone: 'UTC',
        adjust: 'splits',
      },
    });
    expect(JSON.stringify(request)).not.toMatch(/apikey|authorization/i);
  });

  it('asks adjust=none for adjusted=false', () => {
    expect(twelvedataStockCandles.buildRequest({ ...daily, adjusted: false }, context)).toMatchObject({
      query: { adjust: 'none' },
    });
  });

  it('rolls end_date over a month and a year end', () => {
    expect(twelvedataStockCandles.buildRequest({ ...daily, to: '2025-12-31' }, context)).toMatchObject({
      query: { end_date: '2026-01-01' },
    });
  });

  it.each([
    ['1m', '1min'],
    ['5m', '5min'],
    ['15m', '15min'],
    ['30m', '30min'],
    ['1h', '1h'],
    ['4h', '4h'],
    ['1d', '1day'],
    ['1w', '1week'],
    ['1mo', '1month'],
  ] as const)('maps interval %s to %s', (interval: Interval, expected) => {
    expect(twelvedataStockCandles.buildRequest({ ...daily, interval }, context)).toMatchObject({
      query: { interval: expected },
    });
  });
});

describe('twelvedataStockCandles.normalize', () => {
  it('labels daily bars with their date at 00:00Z and reads the strings as numbers', () => {
    expect(normalizeFixture('twelvedata', twelvedataStockCandles, 'stock-candles.ok', daily)).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      adjusted: true,
      candles: [
        { time: '2026-01-28T00:00:00.000Z', open: 255.01, high: 257.3, low: 254.11, close: 256.9, volume: 44332211 },
        { time: '2026-01-29T00:00:00.000Z', open: 256.8, high: 257.95, low: 255.02, close: 256.44, volume: 39112233 },
        {
          time: '2026-01-30T00:00:00.000Z',
          open: 257.12,
          high: 259.91,
          low: 256.5,
          close: 258.27999,
          volume: 41223654,
        },
      ],
    });
  });

  it('reads intraday datetimes as UTC and drops bars past `to`', () => {
    const query = { ...daily, interval: '1h', from: '2026-01-30', to: '2026-01-30' } as const;
    expect(normalizeFixture('twelvedata', twelvedataStockCandles, 'stock-candles.intraday', query)).toEqual({
      symbol: 'AAPL',
      interval: '1h',
      adjusted: true,
      candles: [
        { time: '2026-01-30T14:30:00.000Z', open: 257.12, high: 258.4, low: 256.5, close: 258.01, volume: 9876543 },
        { time: '2026-01-30T15:30:00.000Z', open: 258.01, high: 259.91, low: 257.7, close: 259.44, volume: 6543210 },
      ],
    });
  });

  it('sorts bars ascending whatever order they came in', () => {
    const raw = twelvedataStockCandles.responseSchema.parse({
      values: [
        { datetime: '2026-01-30', open: '2', high: '2', low: '2', close: '2' },
        { datetime: '2026-01-29', open: '1', high: '1', low: '1', close: '1' },
      ],
    });
    const result = twelvedataStockCandles.normalize(raw, daily, normalizeContext);
    expect('candles' in result && result.candles.map((candle) => [candle.time, candle.volume])).toEqual([
      ['2026-01-29T00:00:00.000Z', null],
      ['2026-01-30T00:00:00.000Z', null],
    ]);
  });

  it('returns NotFound when no bar falls in the range', () => {
    const raw = twelvedataStockCandles.responseSchema.parse({ values: [] });
    expect(twelvedataStockCandles.normalize(raw, daily, normalizeContext)).toEqual({
      notFound: true,
      detail: 'no bars for symbol and range',
    });
  });

  it('rejects a datetime in another form', () => {
    const values = [{ datetime: '30/01/2026', open: '1', high: '1', low: '1', close: '1' }];
    expect(twelvedataStockCandles.responseSchema.safeParse({ values }).success).toBe(false);
  });
});

describe('twelvedataCryptoCandles', () => {
  const query = { symbol: 'BTC', vs: 'USD', interval: '4h', from: '2026-01-30', to: '2026-01-30' } as const;

  it('asks GET /time_series for the BASE/QUOTE pair, without adjust', () => {
    expect(twelvedataCryptoCandles.buildRequest(query, context)).toEqual({
      method: 'GET',
      path: '/time_series',
      query: {
        symbol: 'BTC/USD',
        interval: '4h',
        start_date: '2026-01-30',
        end_date: '2026-01-31',
        order: 'asc',
        outputsize: 5000,
        timezone: 'UTC',
      },
    });
  });

  it('normalizes bars without volume to volume null', () => {
    expect(normalizeFixture('twelvedata', twelvedataCryptoCandles, 'crypto-candles.ok', query)).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      interval: '4h',
      candles: [
        { time: '2026-01-30T00:00:00.000Z', open: 84210.01, high: 84650, low: 83602.15, close: 84420.5, volume: null },
        { time: '2026-01-30T04:00:00.000Z', open: 84420.5, high: 85377.42, low: 84301, close: 85012.34, volume: null },
      ],
    });
  });
});

describe('twelvedata candles round trips', () => {
  useNock();

  it('sends the key in the Authorization header and normalizes stock candles', async () => {
    replyWithFixture(
      nock(base).matchHeader('authorization', `apikey ${testKey}`).get('/time_series').query({
        symbol: 'AAPL',
        interval: '1day',
        start_date: '2026-01-28',
        end_date: '2026-01-31',
        order: 'asc',
        outputsize: '5000',
        timezone: 'UTC',
        adjust: 'splits',
      }),
      'twelvedata',
      'stock-candles.ok',
    );
    const outcome = await roundTrip(twelvedata, 'stock-candles', daily);
    expect(outcome.outcome).toBe('ok');
    expect(outcome.outcome === 'ok' && outcome.result.candles).toHaveLength(3);
  });

  it('normalizes crypto candles', async () => {
    replyWithFixture(
      nock(base).matchHeader('authorization', `apikey ${testKey}`).get('/time_series').query({
        symbol: 'BTC/USD',
        interval: '4h',
        start_date: '2026-01-30',
        end_date: '2026-01-31',
        order: 'asc',
        outputsize: '5000',
        timezone: 'UTC',
      }),
      'twelvedata',
      'crypto-candles.ok',
    );
    const query = { symbol: 'BTC', vs: 'USD', interval: '4h', from: '2026-01-30', to: '2026-01-30' } as const;
    expect(await roundTrip(twelvedata, 'crypto-candles', query)).toMatchObject({
      outcome: 'ok',
      result: { symbol: 'BTC', vs: 'USD', candles: [{ close: 84420.5 }, { close: 85012.34 }] },
    });
  });

  it('reports not-found for the 400 "no data" body of an empty range', async () => {
    replyWithFixture(nock(base).get('/time_series').query(true), 'twelvedata', 'error.no-data');
    expect(await roundTrip(twelvedata, 'stock-candles', daily)).toMatchObject({ outcome: 'not-found', status: 200 });
  });

  it('maps the no-data error body with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(nock(base).get('/time_series').query(true), 'twelvedata', 'error.no-data');
    expect(await roundTrip(twelvedata, 'stock-candles', daily)).toMatchObject({ outcome: 'malformed', status: 200 });
  });
});

describe('twelvedata time series after a schema change', () => {
  it('rejects a series with every key renamed, while the recorded no-data answer stays not-found', () => {
    expect(
      twelvedataStockCandles.responseSchema.safeParse(driftedReply('twelvedata', 'stock-candles.ok').body).success,
    ).toBe(false);
    expect(twelvedata.classifyFailure(loadReply('twelvedata', 'error.no-data'))?.kind).toBe('not-found');
    const drifted = driftedReply('twelvedata', 'error.no-data');
    expect(twelvedata.classifyFailure(drifted)).toBeNull();
    expect(twelvedataStockCandles.responseSchema.safeParse(drifted.body).success).toBe(false);
  });
});
