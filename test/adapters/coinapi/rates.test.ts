import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CryptoPriceQuery, ForexRateQuery } from '../../../src/core/index.js';
import { coinapi } from '../../../providers/coinapi/index.js';
import { coinapiCryptoPrice, coinapiForexRate } from '../../../providers/coinapi/rates.js';
import { normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const btc: CryptoPriceQuery = { symbol: 'BTC', vs: 'USD' };
const eurUsd: ForexRateQuery = { base: 'EUR', quote: 'USD' };
const context = { now: new Date('2026-01-30T09:30:00.000Z') };
const normalizeContext = { receivedAt: context.now };

const normalizePrice = (name: string, query: CryptoPriceQuery = btc) =>
  normalizeFixture('coinapi', coinapiCryptoPrice, name, query);

describe('coinapiCryptoPrice.buildRequest', () => {
  it('asks GET /v1/exchangerate/{base}/{quote} with no query', () => {
    expect(coinapiCryptoPrice.buildRequest(btc, context)).toEqual({ method: 'GET', path: '/v1/exchangerate/BTC/USD' });
  });

  it('upper-cases the vs currency', () => {
    expect(coinapiCryptoPrice.buildRequest({ symbol: 'ETH', vs: 'eur' }, context)).toEqual({
      method: 'GET',
      path: '/v1/exchangerate/ETH/EUR',
    });
  });

  it('puts no key parameter in the request', () => {
    const request = JSON.stringify(coinapiCryptoPrice.buildRequest(btc, context));
    expect(request).not.toMatch(/apikey|x-coinapi-key/i);
  });
});

describe('coinapiCryptoPrice.normalize', () => {
  it('maps the rate to the price, trims the 7-digit time to milliseconds and leaves the 24 h fields null', () => {
    expect(normalizePrice('crypto-price.ok')).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      price: 92010.482134562,
      change24h: null,
      changePercent24h: null,
      marketCap: null,
      volume24h: null,
      asOf: '2026-01-30T09:29:59.823Z',
    });
  });

  it('reads a rate sent as a decimal string', () => {
    expect(normalizePrice('crypto-price.string-rate', { symbol: 'ETH', vs: 'EUR' })).toMatchObject({
      symbol: 'ETH',
      vs: 'EUR',
      price: 2950.1234,
    });
  });

  it('gives asOf null when the time is missing', () => {
    expect(normalizePrice('crypto-price.no-time')).toMatchObject({ price: 92010.5, asOf: null });
  });

  it('returns NotFound for a zero rate', () => {
    expect(normalizePrice('crypto-price.zero-rate')).toEqual({ notFound: true, detail: 'no BTC/USD rate' });
  });
});

describe('coinapiCryptoPrice.responseSchema', () => {
  it('rejects a payload without a rate, an empty-string rate and an unreadable time', () => {
    for (const body of [
      { time: '2026-01-30T09:29:59.8231235Z' },
      { rate: '' },
      { rate: 1, time: 'yesterday' },
      '{"rate":',
    ]) {
      expect(coinapiCryptoPrice.responseSchema.safeParse(body).success).toBe(false);
    }
  });
});

describe('coinapiForexRate.buildRequest', () => {
  it('asks the same exchange-rate endpoint for a fiat pair', () => {
    expect(coinapiForexRate.buildRequest(eurUsd, context)).toEqual({ method: 'GET', path: '/v1/exchangerate/EUR/USD' });
  });
});

describe('coinapiForexRate.normalize', () => {
  it('maps the rate and its time', () => {
    expect(normalizeFixture('coinapi', coinapiForexRate, 'forex-rate.ok', eurUsd)).toEqual({
      base: 'EUR',
      quote: 'USD',
      rate: 1.0842371,
      asOf: '2026-01-30T09:29:58.100Z',
    });
  });

  it('returns NotFound for a negative rate', () => {
    const raw = coinapiForexRate.responseSchema.parse({ time: null, rate: -1 });
    expect(coinapiForexRate.normalize(raw, eurUsd, normalizeContext)).toEqual({
      notFound: true,
      detail: 'no EUR/USD rate',
    });
  });
});

describe('coinapi exchange-rate round trips', () => {
  useNock();
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the key in the X-CoinAPI-Key header, not the query, and normalizes a crypto price', async () => {
    replyWithFixture(
      nock(coinapi.defaultBaseUrl).get('/v1/exchangerate/BTC/USD').query({}).matchHeader('x-coinapi-key', testKey),
      'coinapi',
      'crypto-price.ok',
    );
    expect(await roundTrip(coinapi, 'crypto-price', btc)).toEqual({
      outcome: 'ok',
      status: 200,
      result: {
        symbol: 'BTC',
        vs: 'USD',
        price: 92010.482134562,
        change24h: null,
        changePercent24h: null,
        marketCap: null,
        volume24h: null,
        asOf: '2026-01-30T09:29:59.823Z',
      },
    });
  });

  it('sends the key in the header for a forex rate', async () => {
    replyWithFixture(
      nock(coinapi.defaultBaseUrl).get('/v1/exchangerate/EUR/USD').query({}).matchHeader('x-coinapi-key', testKey),
      'coinapi',
      'forex-rate.ok',
    );
    expect(await roundTrip(coinapi, 'forex-rate', eurUsd)).toMatchObject({
      outcome: 'ok',
      result: { base: 'EUR', quote: 'USD', rate: 1.0842371 },
    });
  });

  it('maps a 429 with an ISO X-Ratelimit-Reset to rate-limited with retryAfterMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-30T09:30:00.000Z'));
    replyWithFixture(nock(coinapi.defaultBaseUrl).get('/v1/exchangerate/BTC/USD'), 'coinapi', 'error.rate-limited');
    expect(await roundTrip(coinapi, 'crypto-price', btc)).toMatchObject({
      outcome: 'rate-limited',
      status: 429,
      retryAfterMs: 60_500,
    });
  });

  it('maps the 550 for an unknown pair to not-found', async () => {
    replyWithFixture(nock(coinapi.defaultBaseUrl).get('/v1/exchangerate/ZZZ/USD'), 'coinapi', 'error.unknown-pair');
    expect(await roundTrip(coinapi, 'crypto-price', { symbol: 'ZZZ', vs: 'USD' })).toMatchObject({
      outcome: 'not-found',
      status: 550,
    });
  });

  it('maps a 401 to auth', async () => {
    replyWithFixture(nock(coinapi.defaultBaseUrl).get('/v1/exchangerate/EUR/USD'), 'coinapi', 'error.bad-key');
    expect(await roundTrip(coinapi, 'forex-rate', eurUsd)).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('maps a schema-invalid answer to malformed', async () => {
    nock(coinapi.defaultBaseUrl).get('/v1/exchangerate/BTC/USD').reply(200, { rate: 'n/a' });
    expect((await roundTrip(coinapi, 'crypto-price', btc)).outcome).toBe('malformed');
  });
});
