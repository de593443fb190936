import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { polygonCryptoPrice } from '../../../providers/polygon/crypto.js';
import { polygon } from '../../../providers/polygon/index.js';
import { fixtureNow as now, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const baseUrl = 'https://api.massive.com';

describe('polygonCryptoPrice.buildRequest', () => {
  it('asks for the global crypto snapshot of the X: pair', () => {
    const request = polygonCryptoPrice.buildRequest({ symbol: 'BTC', vs: 'USD' }, { now });
    expect(request).toEqual({ method: 'GET', path: '/v2/snapshot/locale/global/markets/crypto/tickers/X:BTCUSD' });
    expect(JSON.stringify(request)).not.toContain('apiKey');
  });
});

describe('normalizeCryptoPrice', () => {
  it('reads millisecond timestamps and leaves market cap and quote volume null', () => {
    expect(normalizeFixture('polygon', polygonCryptoPrice, 'crypto-price.ok', { symbol: 'BTC', vs: 'USD' })).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      price: 92011.25,
      change24h: 1210.95,
      changePercent24h: 1.333641,
      marketCap: null,
      volume24h: null,
      asOf: '2026-01-30T15:59:58.999Z',
    });
  });

  it('falls back to the day close and the trade time', () => {
    const raw = polygonCryptoPrice.responseSchema.parse({
      status: 'OK',
      ticker: { day: { c: '3200.5' }, lastTrade: { p: 0, t: 1769788798765 }, updated: null },
    });
    expect(polygonCryptoPrice.normalize(raw, { symbol: 'ETH', vs: 'USD' }, { receivedAt: now })).toEqual({
      symbol: 'ETH',
      vs: 'USD',
      price: 3200.5,
      change24h: null,
      changePercent24h: null,
      marketCap: null,
      volume24h: null,
      asOf: '2026-01-30T15:59:58.765Z',
    });
  });

  it('returns NotFound when the snapshot has no price', () => {
    const raw = polygonCryptoPrice.responseSchema.parse({ status: 'OK', ticker: { day: { c: 0 } } });
    expect(polygonCryptoPrice.normalize(raw, { symbol: 'BTC', vs: 'USD' }, { receivedAt: now })).toEqual({
      notFound: true,
      detail: 'snapshot has no price',
    });
  });

  it('rejects a body without the ticker object', () => {
    expect(polygonCryptoPrice.responseSchema.safeParse({ status: 'OK', results: [] }).success).toBe(false);
  });
});

describe('polygon crypto price over HTTP', () => {
  useNock();

  it('sends the Bearer key and normalizes the snapshot', async () => {
    replyWithFixture(
      nock(baseUrl)
        .matchHeader('authorization', `Bearer ${testKey}`)
        .get('/v2/snapshot/locale/global/markets/crypto/tickers/X:BTCUSD')
        .query((query) => Object.keys(query).length === 0),
      'polygon',
      'crypto-price.ok',
    );
    const outcome = await roundTrip(polygon, 'crypto-price', { symbol: 'BTC', vs: 'USD' });
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'BTC', price: 92011.25 } });
  });

  it('maps an unknown pair (404 NOT_FOUND) to not-found', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/snapshot/locale/global/markets/crypto/tickers/X:ZZZUSD'),
      'polygon',
      'crypto-price.unknown-symbol',
    );
    expect(await roundTrip(polygon, 'crypto-price', { symbol: 'ZZZ', vs: 'USD' })).toMatchObject({
      outcome: 'not-found',
    });
  });
});
