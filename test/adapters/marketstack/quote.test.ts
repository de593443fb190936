import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { marketstack } from '../../../providers/marketstack/index.js';
import { marketstackStockQuote, marketstackStockQuotes } from '../../../providers/marketstack/quote.js';
import { driftedReply, renameKeys, replyWithDrift } from '../../helpers/drift.js';
import { fixtureNow as now, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { priceOnlyQuote } from '../../helpers/quotes.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const baseUrl = 'https://api.marketstack.com';

const aaplQuote = {
  symbol: 'AAPL',
  price: 259.47,
  change: 1.19,
  changePercent: 0.46074,
  open: 257.2,
  high: 261.9,
  low: 256.8,
  previousClose: 258.28,
  volume: 51234567,
  currency: 'USD',
  asOf: '2026-01-30T15:59:00.000Z',
};

describe('marketstackStockQuote.buildRequest', () => {
  it('asks /intraday/latest for the one symbol and never carries the key', () => {
    const request = marketstackStockQuote.buildRequest({ symbol: 'AAPL' }, { now });
    expect(request).toEqual({ method: 'GET', path: '/intraday/latest', query: { symbols: 'AAPL' } });
    expect(Object.keys((request as { query: object }).query)).not.toContain('access_key');
  });

  it('keeps the dot of a share class', () => {
    expect(marketstackStockQuote.buildRequest({ symbol: 'BRK.B' }, { now })).toMatchObject({
      query: { symbols: 'BRK.B' },
    });
  });
});

describe('marketstackStockQuotes.buildRequest', () => {
  it('asks for every symbol in one comma-separated symbols parameter', () => {
    const request = marketstackStockQuotes.buildRequest({ symbols: ['AAPL', 'MSFT', 'BRK.B'] }, { now });
    expect(request).toEqual({ method: 'GET', path: '/intraday/latest', query: { symbols: 'AAPL,MSFT,BRK.B' } });
    expect(JSON.stringify(request)).not.toContain('access_key');
  });
});

describe('normalizeQuote', () => {
  it('takes marketstack_last as the price and the row close as the previous close', () => {
    expect(normalizeFixture('marketstack', marketstackStockQuote, 'stock-quote.ok', { symbol: 'AAPL' })).toEqual(
      aaplQuote,
    );
  });

  it('falls back to the IEX last, reads numbers sent as strings and gives no currency off US exchanges', () => {
    expect(normalizeFixture('marketstack', marketstackStockQuote, 'stock-quote.strings', { symbol: 'SHEL' })).toEqual({
      symbol: 'SHEL',
      price: 2660.25,
      change: 5.25,
      changePercent: 0.19774,
      open: 2650.5,
      high: null,
      low: 2641,
      previousClose: 2655,
      volume: 1203344,
      currency: null,
      asOf: '2026-01-30T15:59:00.000Z',
    });
  });

  it('returns NotFound when the row has neither marketstack_last nor last', () => {
    expect(normalizeFixture('marketstack', marketstackStockQuote, 'stock-quote.no-price', { symbol: 'AAPL' })).toEqual({
      notFound: true,
      detail: 'intraday row has no price',
    });
  });

  it('returns NotFound when data holds no row for the symbol', () => {
    const raw = marketstackStockQuote.responseSchema.parse({ pagination: { total: 0 }, data: [] });
    expect(marketstackStockQuote.normalize(raw, { symbol: 'AAPL' }, { receivedAt: now })).toEqual({
      notFound: true,
      detail: 'no intraday row for symbol',
    });
  });

  it('leaves change and changePercent null without a previous close', () => {
    const raw = marketstackStockQuote.responseSchema.parse({
      pagination: { limit: 100, offset: 0, count: 1, total: 1 },
      data: [{ symbol: 'AAPL', marketstack_last: 259.47, close: null, date: null, exchange: null }],
    });
    expect(marketstackStockQuote.normalize(raw, { symbol: 'AAPL' }, { receivedAt: now })).toEqual(
      priceOnlyQuote('AAPL', 259.47),
    );
  });

  it('rejects a body without data', () => {
    expect(marketstackStockQuote.responseSchema.safeParse({ pagination: {} }).success).toBe(false);
  });

  it('rejects an empty string where a price belongs', () => {
    const body = {
      pagination: { limit: 100, offset: 0, count: 1, total: 1 },
      data: [{ symbol: 'AAPL', marketstack_last: '' }],
    };
    expect(marketstackStockQuote.responseSchema.safeParse(body).success).toBe(false);
  });
});

describe('normalizeQuotes', () => {
  it('returns quotes in the order asked and lists absent symbols as missing', () => {
    expect(
      normalizeFixture('marketstack', marketstackStockQuotes, 'stock-quotes.ok', { symbols: ['AAPL', 'ZZZQ', 'MSFT'] }),
    ).toEqual({
      quotes: [
        aaplQuote,
        {
          symbol: 'MSFT',
          price: 425.12,
          change: 5.07,
          changePercent: 1.206999,
          open: 422,
          high: 428,
          low: 421.5,
          previousClose: 420.05,
          volume: 18233411,
          currency: 'USD',
          asOf: '2026-01-30T15:58:00.000Z',
        },
      ],
      missing: ['ZZZQ'],
    });
  });

  it('lists a symbol whose row has no price as missing', () => {
    expect(
      normalizeFixture('marketstack', marketstackStockQuotes, 'stock-quote.no-price', { symbols: ['AAPL'] }),
    ).toEqual({
      quotes: [],
      missing: ['AAPL'],
    });
  });
});

describe('marketstack stock quotes over HTTP', () => {
  useNock();

  it('sends the key as access_key in the query and normalizes the latest row', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/intraday/latest').query({ symbols: 'AAPL', access_key: testKey }),
      'marketstack',
      'stock-quote.ok',
    );
    expect(await roundTrip(marketstack, 'stock-quote', { symbol: 'AAPL' })).toEqual({
      outcome: 'ok',
      result: aaplQuote,
      status: 200,
    });
  });

  it('fetches a watchlist in one call', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/intraday/latest').query({ symbols: 'MSFT,ZZZQ,AAPL', access_key: testKey }),
      'marketstack',
      'stock-quotes.ok',
    );
    const outcome = await roundTrip(marketstack, 'stock-quotes', { symbols: ['MSFT', 'ZZZQ', 'AAPL'] });
    expect(outcome).toMatchObject({ outcome: 'ok', result: { missing: ['ZZZQ'] } });
  });

  it('maps the 422 no_valid_symbols_provided to not-found', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/intraday/latest').query({ symbols: 'ZZZQ', access_key: testKey }),
      'marketstack',
      'error.no-valid-symbols',
    );
    expect(await roundTrip(marketstack, 'stock-quote', { symbol: 'ZZZQ' })).toEqual({
      outcome: 'not-found',
      detail: 'HTTP 422 no_valid_symbols_provided',
      status: 422,
    });
  });

  it('maps the Free plan 403 function_access_restricted to plan', async () => {
    replyWithFixture(nock(baseUrl).get('/v2/intraday/latest').query(true), 'marketstack', 'error.plan');
    expect(await roundTrip(marketstack, 'stock-quote', { symbol: 'AAPL' })).toEqual({
      outcome: 'plan',
      detail: 'HTTP 403 function_access_restricted',
      status: 403,
    });
  });

  it('maps a 429 rate_limit_reached to rate-limited with a one-second wait', async () => {
    replyWithFixture(nock(baseUrl).get('/v2/intraday/latest').query(true), 'marketstack', 'error.rate-limited');
    expect(await roundTrip(marketstack, 'stock-quotes', { symbols: ['AAPL', 'MSFT'] })).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429 rate_limit_reached',
      status: 429,
      retryAfterMs: 1_000,
    });
  });

  it('maps a latest page with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(
      nock(baseUrl).get('/v2/intraday/latest').query({ symbols: 'AAPL', access_key: testKey }),
      'marketstack',
      'stock-quote.ok',
    );
    expect(await roundTrip(marketstack, 'stock-quote', { symbol: 'AAPL' })).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });
});

describe('marketstack latest rows after a schema change', () => {
  it('rejects a page with every key renamed, while a page without the symbol stays NotFound', () => {
    const withoutRows = { pagination: { limit: 100, offset: 0, count: 0, total: 0 }, data: [] };
    expect(
      marketstackStockQuote.responseSchema.safeParse(driftedReply('marketstack', 'stock-quote.ok').body).success,
    ).toBe(false);
    expect(marketstackStockQuote.responseSchema.safeParse(renameKeys(withoutRows)).success).toBe(false);
    const raw = marketstackStockQuote.responseSchema.parse(withoutRows);
    expect(marketstackStockQuote.normalize(raw, { symbol: 'AAPL' }, { receivedAt: now })).toEqual({
      notFound: true,
      detail: 'no intraday row for symbol',
    });
  });
});
