import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { CryptoCandlesQuery } from '../../../src/core/index.js';
import { cryptocompareCryptoCandles } from '../../../providers/cryptocompare/candles.js';
import { cryptocompare } from '../../../providers/cryptocompare/index.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { loadReply, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-30T09:30:00.000Z') };
const fourHourly: CryptoCandlesQuery = {
  symbol: 'BTC',
  vs: 'USD',
  interval: '4h',
  from: '2026-01-30',
  to: '2026-01-30',
};
const daily: CryptoCandlesQuery = { symbol: 'XYZ', vs: 'USD', interval: '1d', from: '2026-01-27', to: '2026-01-29' };

const normalize = (name: string, query: CryptoCandlesQuery) =>
  normalizeFixture('cryptocompare', cryptocompareCryptoCandles, name, query);

describe('cryptocompareCryptoCandles.buildRequest', () => {
  it('asks histohour with aggregate 4 for the bars opening from `from` up to the one open now', () => {
    expect(cryptocompareCryptoCandles.buildRequest(fourHourly, context)).toEqual({
      method: 'GET',
      path: '/data/v2/histohour',
      query: { fsym: 'BTC', tsym: 'USD', limit: 2, toTs: 1769760000, aggregate: 4 },
    });
  });

  it('asks histoday for whole past days, limit being one less than the bar count', () => {
    const query: CryptoCandlesQuery = { ...daily, symbol: 'eth', vs: 'usd', from: '2026-01-01', to: '2026-01-29' };
    expect(cryptocompareCryptoCandles.buildRequest(query, context)).toEqual({
      method: 'GET',
      path: '/data/v2/histoday',
      query: { fsym: 'ETH', tsym: 'USD', limit: 28, toTs: 1769644800, aggregate: 1 },
    });
  });

  it('stops at the current bar when `to` is in the future', () => {
    expect(
      cryptocompareCryptoCandles.buildRequest({ ...daily, from: '2026-01-28', to: '2026-02-05' }, context),
    ).toMatchObject({ query: { limit: 2, toTs: 1769731200 } });
  });

  it('asks histominute with the matching aggregate for 15m bars', () => {
    const query: CryptoCandlesQuery = { ...fourHourly, interval: '15m', from: '2026-01-29', to: '2026-01-29' };
    expect(cryptocompareCryptoCandles.buildRequest(query, context)).toEqual({
      method: 'GET',
      path: '/data/v2/histominute',
      query: { fsym: 'BTC', tsym: 'USD', limit: 95, toTs: 1769730300, aggregate: 15 },
    });
  });

  it('asks one bar more than needed when `from` is the current bar, since limit 0 is refused', () => {
    const query: CryptoCandlesQuery = { ...fourHourly, interval: '1d', from: '2026-01-30', to: '2026-01-30' };
    expect(cryptocompareCryptoCandles.buildRequest(query, context)).toMatchObject({
      query: { limit: 1, toTs: 1769731200 },
    });
  });

  it('puts no key parameter in the query', () => {
    const request = cryptocompareCryptoCandles.buildRequest(fourHourly, context);
    expect(JSON.stringify(request)).not.toContain('api_key');
    expect(JSON.stringify(request).toLowerCase()).not.toContain('authorization');
  });

  it('refuses minute bars from before the week a free key can see', () => {
    const query: CryptoCandlesQuery = { ...fourHourly, interval: '1m', from: '2026-01-20', to: '2026-01-20' };
    expect(cryptocompareCryptoCandles.buildRequest(query, context)).toEqual({
      unsupported: true,
      detail: 'from 2026-01-20 is out of reach for 1m bars',
    });
  });

  it('refuses a range that needs more than 2001 bars', () => {
    const query: CryptoCandlesQuery = { ...fourHourly, interval: '1m', from: '2026-01-28', to: '2026-01-29' };
    expect(cryptocompareCryptoCandles.buildRequest(query, context)).toEqual({
      unsupported: true,
      detail: '2026-01-28..2026-01-29 needs more than 2001 1m bars',
    });
  });

  it.each(['1w', '1mo'] as const)('refuses interval %s', (interval) => {
    expect(cryptocompareCryptoCandles.buildRequest({ ...daily, interval }, context)).toEqual({
      unsupported: true,
      detail: `interval ${interval} not supported`,
    });
  });
});

describe('cryptocompareCryptoCandles.normalize', () => {
  it('keeps the bars opening inside the range, labelled with their open time, volume in the base coin', () => {
    expect(normalize('crypto-candles.ok', fourHourly)).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      interval: '4h',
      candles: [
        {
          time: '2026-01-30T00:00:00.000Z',
          open: 92088.3,
          high: 92210.0,
          low: 91702.5,
          close: 91760.2,
          volume: 1312.08,
        },
        { time: '2026-01-30T04:00:00.000Z', open: 91760.2, high: 92011.9, low: 91700.1, close: 91855.0, volume: 988.5 },
        {
          time: '2026-01-30T08:00:00.000Z',
          open: 91855.0,
          high: 92030.4,
          low: 91830.0,
          close: 92010.5,
          volume: 402.77,
        },
      ],
    });
  });

  it('drops the all-zero bars from before the coin traded and gives null for a null volumefrom', () => {
    expect(normalize('crypto-candles.daily', daily)).toEqual({
      symbol: 'XYZ',
      vs: 'USD',
      interval: '1d',
      candles: [
        { time: '2026-01-28T00:00:00.000Z', open: 1.0, high: 1.25, low: 0.98, close: 1.2, volume: 5230411.2 },
        { time: '2026-01-29T00:00:00.000Z', open: 1.2, high: 1.31, low: 1.1, close: 1.15, volume: null },
      ],
    });
  });

  it('sorts bars ascending', () => {
    const bar = (time: number, price: number) => ({ time, open: price, high: price, low: price, close: price });
    const raw = { Data: { Data: [bar(1769745600, 2), bar(1769731200, 1)] } };
    expect(cryptocompareCryptoCandles.normalize(raw, fourHourly, { receivedAt: context.now })).toMatchObject({
      candles: [
        { time: '2026-01-30T00:00:00.000Z', volume: null },
        { time: '2026-01-30T04:00:00.000Z', volume: null },
      ],
    });
  });

  it('returns an empty candle list for an empty Data array', () => {
    expect(normalize('crypto-candles.empty', daily)).toEqual({
      symbol: 'XYZ',
      vs: 'USD',
      interval: '1d',
      candles: [],
    });
  });
});

describe('cryptocompareCryptoCandles.responseSchema', () => {
  it('rejects a bar with a null close', () => {
    const body = { Response: 'Success', Data: { Data: [{ time: 1769731200, open: 1, high: 1, low: 1, close: null }] } };
    expect(cryptocompareCryptoCandles.responseSchema.safeParse(body).success).toBe(false);
  });

  it('rejects the v1 shape, whose Data is the bar array itself', () => {
    const body = { Response: 'Success', Data: [{ time: 1769731200, open: 1, high: 1, low: 1, close: 1 }] };
    expect(cryptocompareCryptoCandles.responseSchema.safeParse(body).success).toBe(false);
  });
});

describe('crypto-candles round trip', () => {
  useNock();

  const today = new Date().toISOString().slice(0, 10);
  const todaySeconds = Date.parse(`${today}T00:00:00.000Z`) / 1000;
  const query: CryptoCandlesQuery = { symbol: 'BTC', vs: 'USD', interval: '1h', from: today, to: today };
  const histoBody = (times: number[]) => ({
    Response: 'Success',
    Message: '',
    HasWarning: false,
    Type: 100,
    RateLimit: {},
    Data: {
      Aggregated: false,
      TimeFrom: times[0],
      TimeTo: times.at(-1),
      Data: times.map((time) => ({ time, open: 1, high: 2, low: 0.5, close: 1.5, volumefrom: 10, volumeto: 15 })),
    },
  });

  it('sends the key in the Authorization header and labels hourly bars with their open time', async () => {
    nock(cryptocompare.defaultBaseUrl)
      .get('/data/v2/histohour')
      .query((sent) => sent.fsym === 'BTC' && sent.tsym === 'USD' && sent.aggregate === '1' && !('api_key' in sent))
      .matchHeader('authorization', `Apikey ${testKey}`)
      .reply(200, histoBody([todaySeconds - 3_600, todaySeconds]));
    const outcome = await roundTrip(cryptocompare, 'crypto-candles', query);
    expect(outcome).toMatchObject({
      outcome: 'ok',
      result: { candles: [{ time: `${today}T00:00:00.000Z`, open: 1, close: 1.5, volume: 10 }] },
    });
  });

  it('maps the error envelope for an unknown coin to not-found', async () => {
    replyWithFixture(
      nock(cryptocompare.defaultBaseUrl).get('/data/v2/histohour').query(true),
      'cryptocompare',
      'crypto-candles.unknown-symbol',
    );
    const outcome = await roundTrip(cryptocompare, 'crypto-candles', { ...query, symbol: 'ZZZCOIN' });
    expect(outcome.outcome).toBe('not-found');
  });

  it('maps the Type 99 body without a Date header to rate-limited with a one-minute wait', async () => {
    // The body alone: the recorded reply's Date header would set the wait.
    const { status, body } = loadReply('cryptocompare', 'error.rate-limited');
    nock(cryptocompare.defaultBaseUrl)
      .get('/data/v2/histohour')
      .query(true)
      .reply(status, body as nock.Body);
    const outcome = await roundTrip(cryptocompare, 'crypto-candles', query);
    expect(outcome).toMatchObject({ outcome: 'rate-limited', retryAfterMs: 60_000 });
  });

  it('maps a schema-invalid answer to malformed', async () => {
    nock(cryptocompare.defaultBaseUrl)
      .get('/data/v2/histohour')
      .query(true)
      .reply(200, { Response: 'Success', Data: [] });
    const outcome = await roundTrip(cryptocompare, 'crypto-candles', query);
    expect(outcome.outcome).toBe('malformed');
  });

  it('maps the empty answer with every key renamed to malformed, not to an empty series', async () => {
    replyWithDrift(
      nock(cryptocompare.defaultBaseUrl).get('/data/v2/histohour').query(true),
      'cryptocompare',
      'crypto-candles.empty',
    );
    expect(await roundTrip(cryptocompare, 'crypto-candles', query)).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });
});

describe('cryptocompare histo after a schema change', () => {
  it('rejects the empty answer with every key renamed, while the recorded one stays an empty series', () => {
    expect(
      cryptocompareCryptoCandles.responseSchema.safeParse(driftedReply('cryptocompare', 'crypto-candles.empty').body)
        .success,
    ).toBe(false);
    expect(normalize('crypto-candles.empty', daily)).toMatchObject({ candles: [] });
  });
});
