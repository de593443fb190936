import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { CryptoCandlesQuery } from '../../../src/core/index.js';
import { coingeckoCryptoCandles } from '../../../providers/coingecko/candles.js';
import { coingecko } from '../../../providers/coingecko/index.js';
import { loadReply, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-30T09:30:00.000Z') };
const halfHourly: CryptoCandlesQuery = {
  symbol: 'BTC',
  vs: 'USD',
  interval: '30m',
  from: '2026-01-30',
  to: '2026-01-30',
};
const fourHourly: CryptoCandlesQuery = {
  symbol: 'ETH',
  vs: 'USD',
  interval: '4h',
  from: '2026-01-20',
  to: '2026-01-30',
};

const normalize = (name: string, query: CryptoCandlesQuery = halfHourly) =>
  normalizeFixture('coingecko', coingeckoCryptoCandles, name, query);

describe('coingeckoCryptoCandles.buildRequest', () => {
  it('asks days=1 for 30m bars starting within the last 24 hours', () => {
    expect(coingeckoCryptoCandles.buildRequest(halfHourly, context)).toEqual({
      method: 'GET',
      path: '/coins/bitcoin/ohlc',
      query: { vs_currency: 'usd', days: 1 },
    });
  });

  it('asks the smallest days value that reaches back to from for 4h bars', () => {
    expect(coingeckoCryptoCandles.buildRequest(fourHourly, context)).toEqual({
      method: 'GET',
      path: '/coins/ethereum/ohlc',
      query: { vs_currency: 'usd', days: 14 },
    });
    expect(coingeckoCryptoCandles.buildRequest({ ...fourHourly, from: '2026-01-24' }, context)).toMatchObject({
      query: { days: 7 },
    });
    expect(coingeckoCryptoCandles.buildRequest({ ...fourHourly, from: '2026-01-01' }, context)).toMatchObject({
      query: { days: 30 },
    });
  });

  it('puts no key parameter in the query', () => {
    const request = coingeckoCryptoCandles.buildRequest(fourHourly, context);
    expect(JSON.stringify(request)).not.toContain('x_cg_demo_api_key');
    expect(JSON.stringify(request)).not.toContain('x-cg-demo-api-key');
  });

  it('refuses 4h bars from before the 30-day reach', () => {
    expect(coingeckoCryptoCandles.buildRequest({ ...fourHourly, from: '2025-12-30' }, context)).toEqual({
      unsupported: true,
      detail: 'from 2025-12-30 is out of reach for 4h bars',
    });
  });

  it('refuses 30m bars from before the last 24 hours', () => {
    expect(coingeckoCryptoCandles.buildRequest({ ...halfHourly, from: '2026-01-29' }, context)).toEqual({
      unsupported: true,
      detail: 'from 2026-01-29 is out of reach for 30m bars',
    });
  });

  it.each(['1m', '5m', '15m', '1h', '1d', '1w', '1mo'] as const)('refuses interval %s', (interval) => {
    expect(coingeckoCryptoCandles.buildRequest({ ...halfHourly, interval }, context)).toEqual({
      unsupported: true,
      detail: `interval ${interval} not supported`,
    });
  });

  it('returns NotFound without a call for a ticker missing from the shared table', () => {
    expect(coingeckoCryptoCandles.buildRequest({ ...halfHourly, symbol: 'PEPE' }, context)).toEqual({
      notFound: true,
      detail: 'no coingecko id for PEPE',
    });
  });
});

describe('coingeckoCryptoCandles.normalize', () => {
  it('labels bars with their open time (close − 30 min), keeps those opening inside the range and has no volume', () => {
    expect(normalize('crypto-candles.ok')).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      interval: '30m',
      candles: [
        { time: '2026-01-30T00:00:00.000Z', open: 92088.3, high: 92140.0, low: 91950.6, close: 91990.9, volume: null },
        { time: '2026-01-30T00:30:00.000Z', open: 91990.9, high: 92010.0, low: 91702.5, close: 91760.2, volume: null },
        { time: '2026-01-30T01:00:00.000Z', open: 91760.2, high: 91899.8, low: 91700.1, close: 91855.0, volume: null },
      ],
    });
  });

  it('sorts bars ascending', () => {
    const raw = [
      [1769736600000, 4, 4, 4, 4],
      [1769734800000, 3, 3, 3, 3],
    ] as [number, number, number, number, number][];
    const result = coingeckoCryptoCandles.normalize(raw, halfHourly, { receivedAt: context.now });
    expect(result).toMatchObject({
      candles: [{ time: '2026-01-30T00:30:00.000Z' }, { time: '2026-01-30T01:00:00.000Z' }],
    });
  });

  it('returns an empty candle list for an empty answer', () => {
    expect(normalize('crypto-candles.empty')).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      interval: '30m',
      candles: [],
    });
  });

  it('returns an empty candle list when no bar falls in the range', () => {
    expect(normalize('crypto-candles.ok', { ...halfHourly, from: '2026-01-31', to: '2026-01-31' })).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      interval: '30m',
      candles: [],
    });
  });
});

describe('coingeckoCryptoCandles.responseSchema', () => {
  it('rejects a row with a null price', () => {
    const body = loadReply('coingecko', 'crypto-candles.null-price').body;
    expect(coingeckoCryptoCandles.responseSchema.safeParse(body).success).toBe(false);
  });
});

describe('crypto-candles round trip', () => {
  useNock();

  const today = new Date().toISOString().slice(0, 10);
  const todayMs = Date.parse(`${today}T00:00:00.000Z`);
  const query: CryptoCandlesQuery = { symbol: 'BTC', vs: 'USD', interval: '30m', from: today, to: today };

  it('sends the key in the header and labels bars with their open time', async () => {
    nock(coingecko.defaultBaseUrl)
      .get('/coins/bitcoin/ohlc')
      .query({ vs_currency: 'usd', days: '1' })
      .matchHeader('x-cg-demo-api-key', testKey)
      .reply(200, [
        [todayMs + 1_800_000, 1, 2, 0.5, 1.5],
        [todayMs + 3_600_000, 1.5, 2.5, 1, 2],
      ]);
    const outcome = await roundTrip(coingecko, 'crypto-candles', query);
    expect(outcome).toMatchObject({
      outcome: 'ok',
      result: {
        candles: [
          { time: new Date(todayMs).toISOString(), open: 1, close: 1.5, volume: null },
          { time: new Date(todayMs + 1_800_000).toISOString(), open: 1.5, close: 2, volume: null },
        ],
      },
    });
  });

  it('maps the 404 for an unknown coin to not-found', async () => {
    replyWithFixture(
      nock(coingecko.defaultBaseUrl).get('/coins/bitcoin/ohlc').query(true),
      'coingecko',
      'crypto-candles.unknown-coin',
    );
    const outcome = await roundTrip(coingecko, 'crypto-candles', query);
    expect(outcome.outcome).toBe('not-found');
  });

  it('maps a 429 without Retry-After to rate-limited with a one-minute retryAfterMs', async () => {
    replyWithFixture(
      nock(coingecko.defaultBaseUrl).get('/coins/bitcoin/ohlc').query(true),
      'coingecko',
      'error.rate-limited',
    );
    const outcome = await roundTrip(coingecko, 'crypto-candles', query);
    expect(outcome).toMatchObject({ outcome: 'rate-limited', retryAfterMs: 60_000 });
  });

  it('maps a schema-invalid answer to malformed', async () => {
    nock(coingecko.defaultBaseUrl).get('/coins/bitcoin/ohlc').query(true).reply(200, { prices: [] });
    const outcome = await roundTrip(coingecko, 'crypto-candles', query);
    expect(outcome.outcome).toBe('malformed');
  });
});
