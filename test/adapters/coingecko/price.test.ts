import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { CryptoPriceQuery } from '../../../src/core/index.js';
import { coingecko } from '../../../providers/coingecko/index.js';
import { coingeckoCryptoPrice } from '../../../providers/coingecko/price.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { loadReply, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const btc: CryptoPriceQuery = { symbol: 'BTC', vs: 'USD' };
const context = { now: new Date('2026-01-30T09:30:00.000Z') };
const priceQuery = {
  ids: 'bitcoin',
  vs_currencies: 'usd',
  include_market_cap: 'true',
  include_24hr_vol: 'true',
  include_24hr_change: 'true',
  include_last_updated_at: 'true',
};

const normalize = (name: string, query: CryptoPriceQuery = btc) =>
  normalizeFixture('coingecko', coingeckoCryptoPrice, name, query);

describe('coingeckoCryptoPrice.buildRequest', () => {
  it('asks /simple/price for the coin id with every extra and a lower-case vs currency', () => {
    expect(coingeckoCryptoPrice.buildRequest(btc, context)).toEqual({
      method: 'GET',
      path: '/simple/price',
      query: {
        ids: 'bitcoin',
        vs_currencies: 'usd',
        include_market_cap: true,
        include_24hr_vol: true,
        include_24hr_change: true,
        include_last_updated_at: true,
      },
    });
  });

  it('maps tickers through the shared table (XRP is ripple)', () => {
    expect(coingeckoCryptoPrice.buildRequest({ symbol: 'XRP', vs: 'EUR' }, context)).toMatchObject({
      query: { ids: 'ripple', vs_currencies: 'eur' },
    });
  });

  it('puts no key parameter in the query', () => {
    const request = coingeckoCryptoPrice.buildRequest(btc, context);
    expect(JSON.stringify(request)).not.toContain('x_cg_demo_api_key');
    expect(JSON.stringify(request)).not.toContain('x-cg-demo-api-key');
  });

  it('returns NotFound without a call for a ticker missing from the shared table', () => {
    expect(coingeckoCryptoPrice.buildRequest({ symbol: 'PEPE', vs: 'USD' }, context)).toEqual({
      notFound: true,
      detail: 'no coingecko id for PEPE',
    });
  });
});

describe('coingeckoCryptoPrice.normalize', () => {
  it('maps the price, derives the absolute change from the percent and converts seconds to ISO', () => {
    expect(normalize('crypto-price.ok')).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      price: 92010.5,
      change24h: 1210.09697117,
      changePercent24h: 1.3327,
      marketCap: 1821234567890.12,
      volume24h: 35123456789.4,
      asOf: '2026-01-30T09:30:00.000Z',
    });
  });

  it('keeps a zero market cap, and gives null for a null change, a null volume and a missing timestamp', () => {
    expect(normalize('crypto-price.null-change')).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      price: 92010.5,
      change24h: null,
      changePercent24h: null,
      marketCap: 0,
      volume24h: null,
      asOf: null,
    });
  });

  it('derives a negative change from a negative percent', () => {
    const raw = { bitcoin: { usd: 90, usd_24h_change: -10 } };
    expect(coingeckoCryptoPrice.normalize(raw, btc, { receivedAt: context.now })).toMatchObject({
      change24h: -10,
      changePercent24h: -10,
    });
  });

  it('returns NotFound when the id is absent from the answer', () => {
    expect(normalize('crypto-price.unknown-id')).toEqual({
      notFound: true,
      detail: 'coingecko returned no bitcoin',
    });
  });

  it('returns NotFound when the vs currency is missing from the coin', () => {
    expect(normalize('crypto-price.unknown-vs')).toEqual({ notFound: true, detail: 'no usd price for bitcoin' });
  });

  it('returns NotFound for a zero price', () => {
    expect(normalize('crypto-price.zero-price')).toEqual({ notFound: true, detail: 'no usd price for bitcoin' });
  });
});

describe('coingeckoCryptoPrice.responseSchema', () => {
  it('rejects a price sent as a string', () => {
    expect(
      coingeckoCryptoPrice.responseSchema.safeParse(loadReply('coingecko', 'crypto-price.string-price').body).success,
    ).toBe(false);
  });
});

describe('crypto-price round trip', () => {
  useNock();

  it('sends the key in the x-cg-demo-api-key header, not the query, and normalizes the answer', async () => {
    replyWithFixture(
      nock(coingecko.defaultBaseUrl).get('/simple/price').query(priceQuery).matchHeader('x-cg-demo-api-key', testKey),
      'coingecko',
      'crypto-price.ok',
    );
    const outcome = await roundTrip(coingecko, 'crypto-price', btc);
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'BTC', price: 92010.5 } });
  });

  it('works keyless, sending no key header', async () => {
    replyWithFixture(
      nock(coingecko.defaultBaseUrl, { badheaders: ['x-cg-demo-api-key'] })
        .get('/simple/price')
        .query(priceQuery),
      'coingecko',
      'crypto-price.ok',
    );
    const outcome = await roundTrip(coingecko, 'crypto-price', btc, { apiKey: null });
    expect(outcome.outcome).toBe('ok');
  });

  it('maps a 429 to rate-limited with retryAfterMs', async () => {
    replyWithFixture(
      nock(coingecko.defaultBaseUrl).get('/simple/price').query(priceQuery),
      'coingecko',
      'error.rate-limited-retry-after',
      { 'retry-after': '30' },
    );
    const outcome = await roundTrip(coingecko, 'crypto-price', btc);
    expect(outcome).toMatchObject({ outcome: 'rate-limited', retryAfterMs: 30_000 });
  });

  it('maps an empty answer to not-found', async () => {
    nock(coingecko.defaultBaseUrl).get('/simple/price').query(priceQuery).reply(200, {});
    const outcome = await roundTrip(coingecko, 'crypto-price', btc);
    expect(outcome.outcome).toBe('not-found');
  });

  it('maps a schema-invalid answer to malformed', async () => {
    nock(coingecko.defaultBaseUrl)
      .get('/simple/price')
      .query(priceQuery)
      .reply(200, { bitcoin: { usd: 'n/a' } });
    const outcome = await roundTrip(coingecko, 'crypto-price', btc);
    expect(outcome.outcome).toBe('malformed');
  });

  it('maps an answer with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(
      nock(coingecko.defaultBaseUrl).get('/simple/price').query(priceQuery),
      'coingecko',
      'crypto-price.ok',
    );
    expect(await roundTrip(coingecko, 'crypto-price', btc)).toMatchObject({ outcome: 'malformed', status: 200 });
  });
});

describe('coingecko simple price after a schema change', () => {
  it.each(['crypto-price.ok', 'crypto-price.null-change', 'crypto-price.unknown-vs'])(
    'rejects %s with every key renamed',
    (name) => {
      expect(coingeckoCryptoPrice.responseSchema.safeParse(driftedReply('coingecko', name).body).success).toBe(false);
    },
  );

  it('keeps the recorded unknown-id and unknown-vs answers NotFound', () => {
    expect(normalize('crypto-price.unknown-id')).toEqual({ notFound: true, detail: 'coingecko returned no bitcoin' });
    expect(normalize('crypto-price.unknown-vs')).toEqual({ notFound: true, detail: 'no usd price for bitcoin' });
  });

  it('reads {} as the unknown-id answer it documents: with no key in it, there is nothing that could drift', () => {
    expect(driftedReply('coingecko', 'crypto-price.unknown-id').body).toEqual({});
    expect(coingeckoCryptoPrice.responseSchema.safeParse({}).success).toBe(true);
  });
});
