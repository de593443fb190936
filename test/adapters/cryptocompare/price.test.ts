import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { CryptoPriceQuery } from '../../../src/core/index.js';
import { cryptocompare } from '../../../providers/cryptocompare/index.js';
import { cryptocompareCryptoPrice } from '../../../providers/cryptocompare/price.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { loadReply, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const btc: CryptoPriceQuery = { symbol: 'BTC', vs: 'USD' };
const context = { now: new Date('2026-01-30T09:30:00.000Z') };

const normalize = (name: string, query: CryptoPriceQuery = btc) =>
  normalizeFixture('cryptocompare', cryptocompareCryptoPrice, name, query);

describe('cryptocompareCryptoPrice.buildRequest', () => {
  it('asks /data/pricemultifull for one fsym and one tsym', () => {
    expect(cryptocompareCryptoPrice.buildRequest(btc, context)).toEqual({
      method: 'GET',
      path: '/data/pricemultifull',
      query: { fsyms: 'BTC', tsyms: 'USD' },
    });
  });

  it('upper-cases the ticker and the quote currency', () => {
    expect(cryptocompareCryptoPrice.buildRequest({ symbol: 'eth', vs: 'eur' }, context)).toMatchObject({
      query: { fsyms: 'ETH', tsyms: 'EUR' },
    });
  });

  it('puts no key parameter in the query', () => {
    const request = cryptocompareCryptoPrice.buildRequest(btc, context);
    expect(JSON.stringify(request)).not.toContain('api_key');
    expect(JSON.stringify(request).toLowerCase()).not.toContain('authorization');
  });
});

describe('cryptocompareCryptoPrice.normalize', () => {
  it('maps RAW.BTC.USD field by field and converts LASTUPDATE seconds to ISO', () => {
    expect(normalize('crypto-price.ok')).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      price: 92010.5,
      change24h: 1210.2,
      changePercent24h: 1.3328149796851,
      marketCap: 1821234567890.12,
      volume24h: 2345678901.23,
      asOf: '2026-01-30T09:30:00.000Z',
    });
  });

  it('gives null for null changes and volume, a zero market cap (unknown supply) and a zero LASTUPDATE', () => {
    expect(normalize('crypto-price.sparse', { symbol: 'PEPE', vs: 'USD' })).toEqual({
      symbol: 'PEPE',
      vs: 'USD',
      price: 0.00001234,
      change24h: null,
      changePercent24h: null,
      marketCap: null,
      volume24h: null,
      asOf: null,
    });
  });

  it('returns NotFound for a zero price', () => {
    expect(normalize('crypto-price.zero-price')).toEqual({ notFound: true, detail: 'no BTC-USD price' });
  });

  it('returns NotFound when RAW holds another pair', () => {
    expect(normalize('crypto-price.other-pair')).toEqual({ notFound: true, detail: 'no BTC-USD price' });
  });

  it('looks the pair up in upper case', () => {
    expect(normalize('crypto-price.ok', { symbol: 'BTC', vs: 'usd' })).toMatchObject({
      vs: 'USD',
      price: 92010.5,
    });
  });
});

describe('cryptocompareCryptoPrice.responseSchema', () => {
  it('rejects a price sent as a display string', () => {
    const body = loadReply('cryptocompare', 'crypto-price.string-price').body;
    expect(cryptocompareCryptoPrice.responseSchema.safeParse(body).success).toBe(false);
  });

  it('rejects a body without RAW', () => {
    expect(cryptocompareCryptoPrice.responseSchema.safeParse({ DISPLAY: {} }).success).toBe(false);
  });
});

describe('crypto-price round trip', () => {
  useNock();
  const priceQuery = { fsyms: 'BTC', tsyms: 'USD' };

  it('sends the key as "Authorization: Apikey …", not in the query, and normalizes the answer', async () => {
    replyWithFixture(
      nock(cryptocompare.defaultBaseUrl)
        .get('/data/pricemultifull')
        .query(priceQuery)
        .matchHeader('authorization', `Apikey ${testKey}`),
      'cryptocompare',
      'crypto-price.ok',
    );
    const outcome = await roundTrip(cryptocompare, 'crypto-price', btc);
    expect(outcome).toMatchObject({
      outcome: 'ok',
      result: { symbol: 'BTC', price: 92010.5, marketCap: 1821234567890.12 },
    });
  });

  it('maps the HTTP 200 error envelope for an unknown coin to not-found', async () => {
    replyWithFixture(
      nock(cryptocompare.defaultBaseUrl).get('/data/pricemultifull').query({ fsyms: 'ZZZCOIN', tsyms: 'USD' }),
      'cryptocompare',
      'crypto-price.unknown-symbol',
    );
    const outcome = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'ZZZCOIN', vs: 'USD' });
    expect(outcome).toMatchObject({ outcome: 'not-found', status: 200 });
  });

  it('maps the HTTP 200 Type 99 body to rate-limited, waiting until the spent minute rolls over', async () => {
    replyWithFixture(
      nock(cryptocompare.defaultBaseUrl).get('/data/pricemultifull').query(priceQuery),
      'cryptocompare',
      'error.rate-limited',
      { date: 'Fri, 30 Jan 2026 09:30:15 GMT' },
    );
    const outcome = await roundTrip(cryptocompare, 'crypto-price', btc);
    expect(outcome).toMatchObject({ outcome: 'rate-limited', retryAfterMs: 45_000 });
  });

  it('maps a 429 with Retry-After to rate-limited with retryAfterMs', async () => {
    replyWithFixture(
      nock(cryptocompare.defaultBaseUrl).get('/data/pricemultifull').query(priceQuery),
      'cryptocompare',
      'error.rate-limited-429',
      { 'retry-after': '17' },
    );
    const outcome = await roundTrip(cryptocompare, 'crypto-price', btc);
    expect(outcome).toMatchObject({ outcome: 'rate-limited', retryAfterMs: 17_000, status: 429 });
  });

  it('sends no Authorization header without a key, and maps the 401 to auth', async () => {
    replyWithFixture(
      nock(cryptocompare.defaultBaseUrl, { badheaders: ['authorization'] })
        .get('/data/pricemultifull')
        .query(priceQuery),
      'cryptocompare',
      'error.key-required',
    );
    const outcome = await roundTrip(cryptocompare, 'crypto-price', btc, { apiKey: null });
    expect(outcome).toMatchObject({ outcome: 'auth', status: 401 });
  });

  it('maps a schema-invalid answer to malformed', async () => {
    replyWithFixture(
      nock(cryptocompare.defaultBaseUrl).get('/data/pricemultifull').query(priceQuery),
      'cryptocompare',
      'crypto-price.string-price',
    );
    const outcome = await roundTrip(cryptocompare, 'crypto-price', btc);
    expect(outcome.outcome).toBe('malformed');
  });

  it('maps the unknown-coin envelope with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(
      nock(cryptocompare.defaultBaseUrl).get('/data/pricemultifull').query({ fsyms: 'ZZZCOIN', tsyms: 'USD' }),
      'cryptocompare',
      'crypto-price.unknown-symbol',
    );
    const outcome = await roundTrip(cryptocompare, 'crypto-price', { symbol: 'ZZZCOIN', vs: 'USD' });
    expect(outcome).toMatchObject({ outcome: 'malformed', status: 200 });
  });
});

describe('cryptocompare price after a schema change', () => {
  it('rejects an answer with every key renamed, while the recorded unknown coin stays not-found', () => {
    expect(
      cryptocompareCryptoPrice.responseSchema.safeParse(driftedReply('cryptocompare', 'crypto-price.ok').body).success,
    ).toBe(false);
    expect(cryptocompare.classifyFailure(loadReply('cryptocompare', 'crypto-price.unknown-symbol'))?.kind).toBe(
      'not-found',
    );
    // Renamed, the error envelope is no longer one: the classifier lets it through and the schema turns it away.
    const drifted = driftedReply('cryptocompare', 'crypto-price.unknown-symbol');
    expect(cryptocompare.classifyFailure(drifted)).toBeNull();
    expect(cryptocompareCryptoPrice.responseSchema.safeParse(drifted.body).success).toBe(false);
  });

  it('rejects a quote without its PRICE', () => {
    const body = { RAW: { BTC: { USD: { FROMSYMBOL: 'BTC', TOSYMBOL: 'USD', LASTUPDATE: 1769765400 } } } };
    expect(cryptocompareCryptoPrice.responseSchema.safeParse(body).success).toBe(false);
  });
});
