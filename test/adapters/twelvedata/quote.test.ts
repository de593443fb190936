import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { twelvedata } from '../../../providers/twelvedata/index.js';
import {
  twelvedataCryptoPrice,
  twelvedataStockQuote,
  twelvedataStockQuotes,
} from '../../../providers/twelvedata/quote.js';
import { isNotFound } from '../../../src/core/index.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { loadReply, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { priceOnlyQuote } from '../../helpers/quotes.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-30T18:00:00Z') };
const normalizeContext = { receivedAt: new Date('2026-01-30T21:00:00Z') };
const base = 'https://api.twelvedata.com';

describe('twelvedataStockQuote.buildRequest', () => {
  it('asks GET /quote with the upper-case symbol and without the key', () => {
    const request = twelvedataStockQuote.buildRequest({ symbol: 'aapl' }, context);
    expect(request).toEqual({ method: 'GET', path: '/quote', query: { symbol: 'AAPL' } });
    expect(JSON.stringify(request)).not.toMatch(/apikey|authorization/i);
  });

  it('keeps the dot in share classes (BRK.B)', () => {
    expect(twelvedataStockQuote.buildRequest({ symbol: 'BRK.B' }, context)).toMatchObject({
      query: { symbol: 'BRK.B' },
    });
  });
});

describe('twelvedataStockQuote.normalize', () => {
  it('maps the string fields to numbers, close to price and last_quote_at to asOf', () => {
    expect(normalizeFixture('twelvedata', twelvedataStockQuote, 'stock-quote.ok', { symbol: 'AAPL' })).toEqual({
      symbol: 'AAPL',
      price: 258.27999,
      change: 1.83999,
      changePercent: 0.71751,
      open: 257.12,
      high: 259.91,
      low: 256.5,
      previousClose: 256.44,
      volume: 41223654,
      currency: 'USD',
      asOf: '2026-01-30T20:59:00.000Z',
    });
  });

  it('falls back to timestamp without last_quote_at and leaves pence (GBp) and a null volume as null', () => {
    expect(normalizeFixture('twelvedata', twelvedataStockQuote, 'stock-quote.london', { symbol: 'VOD' })).toEqual({
      symbol: 'VOD',
      price: 72.86,
      change: 0.46,
      changePercent: 0.63536,
      open: 72.5,
      high: 73.18,
      low: 72.02,
      previousClose: 72.4,
      volume: null,
      currency: null,
      asOf: '2026-01-30T08:00:00.000Z',
    });
  });

  it('turns missing fields into null', () => {
    const raw = twelvedataStockQuote.responseSchema.parse({ symbol: 'XYZ', close: '10.50000' });
    expect(twelvedataStockQuote.normalize(raw, { symbol: 'XYZ' }, normalizeContext)).toEqual(
      priceOnlyQuote('XYZ', 10.5),
    );
  });

  it('rejects an empty string where a number belongs', () => {
    expect(twelvedataStockQuote.responseSchema.safeParse({ symbol: 'AAPL', close: '' }).success).toBe(false);
  });
});

describe('twelvedataStockQuotes', () => {
  function normalizeList(name: string, symbols: string[]) {
    const raw = twelvedataStockQuotes.responseSchema.parse(loadReply('twelvedata', name).body);
    const result = twelvedataStockQuotes.normalize(raw, { symbols }, normalizeContext);
    if (isNotFound(result)) throw new Error('a quote list is never NotFound');
    return result;
  }

  it('asks GET /quote with a comma list of upper-case symbols', () => {
    expect(twelvedataStockQuotes.buildRequest({ symbols: ['AAPL', 'msft', 'BRK.B'] }, context)).toEqual({
      method: 'GET',
      path: '/quote',
      query: { symbol: 'AAPL,MSFT,BRK.B' },
    });
  });

  it('reads the answer keyed by symbol, in the order asked', () => {
    const result = normalizeList('stock-quotes.ok', ['MSFT', 'AAPL']);
    expect(result.missing).toEqual([]);
    expect(result.quotes.map((quote) => [quote.symbol, quote.price])).toEqual([
      ['MSFT', 433.10001],
      ['AAPL', 258.27999],
    ]);
    expect(result.quotes[0]).toEqual({
      symbol: 'MSFT',
      price: 433.10001,
      change: 2.44001,
      changePercent: 0.56657,
      open: 431.02,
      high: 434.75,
      low: 428.91,
      previousClose: 430.66,
      volume: 19876543,
      currency: 'USD',
      asOf: '2026-01-30T20:59:00.000Z',
    });
  });

  it('lists an error entry and an absent symbol as missing', () => {
    const result = normalizeList('stock-quotes.partial', ['AAPL', 'ZZZZ', 'MSFT']);
    expect(result.quotes.map((quote) => quote.symbol)).toEqual(['AAPL']);
    expect(result.missing).toEqual(['ZZZZ', 'MSFT']);
  });

  it('reads the plain quote a one-symbol list answers', () => {
    const result = normalizeList('stock-quote.ok', ['AAPL']);
    expect(result.missing).toEqual([]);
    expect(result.quotes.map((quote) => quote.price)).toEqual([258.27999]);
  });

  it('rejects an entry that is neither a quote nor an error', () => {
    expect(twelvedataStockQuotes.responseSchema.safeParse({ AAPL: { symbol: 'AAPL', close: 'n/a' } }).success).toBe(
      false,
    );
  });
});

describe('twelvedataCryptoPrice', () => {
  it('asks GET /quote for the BASE/QUOTE pair', () => {
    expect(twelvedataCryptoPrice.buildRequest({ symbol: 'btc', vs: 'usd' }, context)).toEqual({
      method: 'GET',
      path: '/quote',
      query: { symbol: 'BTC/USD' },
    });
  });

  it('takes the 24-hour change in percent from rolling_1day_change and gives no cap or volume', () => {
    expect(
      normalizeFixture('twelvedata', twelvedataCryptoPrice, 'crypto-price.ok', { symbol: 'BTC', vs: 'USD' }),
    ).toEqual({
      symbol: 'BTC',
      vs: 'USD',
      price: 85012.34,
      change24h: null,
      changePercent24h: 1.24571,
      marketCap: null,
      volume24h: null,
      asOf: '2026-01-30T17:42:00.000Z',
    });
  });
});

describe('twelvedata quote round trips', () => {
  useNock();

  it('sends the key as Authorization: apikey and normalizes a stock quote', async () => {
    replyWithFixture(
      nock(base).matchHeader('authorization', `apikey ${testKey}`).get('/quote').query({ symbol: 'AAPL' }),
      'twelvedata',
      'stock-quote.ok',
    );
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' })).toMatchObject({
      outcome: 'ok',
      result: { symbol: 'AAPL', price: 258.27999, asOf: '2026-01-30T20:59:00.000Z' },
    });
  });

  it('serves a batch with the key in the header only', async () => {
    replyWithFixture(
      nock(base).matchHeader('authorization', `apikey ${testKey}`).get('/quote').query({ symbol: 'AAPL,ZZZZ' }),
      'twelvedata',
      'stock-quotes.partial',
    );
    expect(await roundTrip(twelvedata, 'stock-quotes', { symbols: ['AAPL', 'ZZZZ'] })).toMatchObject({
      outcome: 'ok',
      result: { quotes: [{ symbol: 'AAPL' }], missing: ['ZZZZ'] },
    });
  });

  it('serves a crypto price', async () => {
    replyWithFixture(
      nock(base).matchHeader('authorization', `apikey ${testKey}`).get('/quote').query({ symbol: 'BTC/USD' }),
      'twelvedata',
      'crypto-price.ok',
    );
    expect(await roundTrip(twelvedata, 'crypto-price', { symbol: 'BTC', vs: 'USD' })).toMatchObject({
      outcome: 'ok',
      result: { symbol: 'BTC', vs: 'USD', price: 85012.34 },
    });
  });

  it('reports not-found for the 404 body an unknown symbol gets with HTTP 200', async () => {
    replyWithFixture(nock(base).get('/quote').query({ symbol: 'ZZZZ' }), 'twelvedata', 'error.unknown-symbol');
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'ZZZZ' })).toEqual({
      outcome: 'not-found',
      detail: 'HTTP 200 404',
      status: 200,
    });
  });

  it('reports malformed for a body that fails the schema', async () => {
    nock(base).get('/quote').query({ symbol: 'AAPL' }).reply(200, { symbol: 'AAPL', close: 'n/a' });
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'AAPL' })).toMatchObject({ outcome: 'malformed' });
  });

  it('maps the unknown-symbol error body with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(nock(base).get('/quote').query({ symbol: 'ZZZZ' }), 'twelvedata', 'error.unknown-symbol');
    expect(await roundTrip(twelvedata, 'stock-quote', { symbol: 'ZZZZ' })).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });

  it('maps a batch answer without a single symbol to malformed, not to every symbol missing', async () => {
    nock(base).get('/quote').query({ symbol: 'AAPL,MSFT' }).reply(200, {});
    expect(await roundTrip(twelvedata, 'stock-quotes', { symbols: ['AAPL', 'MSFT'] })).toMatchObject({
      outcome: 'malformed',
    });
  });
});

describe('twelvedata quotes after a schema change', () => {
  it('rejects quotes with every key renamed, while the recorded unknown symbol stays not-found', () => {
    for (const name of ['stock-quote.ok', 'crypto-price.ok']) {
      expect(twelvedataStockQuote.responseSchema.safeParse(driftedReply('twelvedata', name).body).success).toBe(false);
    }
    expect(
      twelvedataStockQuotes.responseSchema.safeParse(driftedReply('twelvedata', 'stock-quotes.partial').body).success,
    ).toBe(false);
    expect(twelvedata.classifyFailure(loadReply('twelvedata', 'error.unknown-symbol'))?.kind).toBe('not-found');
    // Renamed, the error body is no longer one: the classifier lets it through and the schema turns it away.
    const drifted = driftedReply('twelvedata', 'error.unknown-symbol');
    expect(twelvedata.classifyFailure(drifted)).toBeNull();
    expect(twelvedataStockQuote.responseSchema.safeParse(drifted.body).success).toBe(false);
  });

  it('rejects a batch answer without a single symbol', () => {
    expect(twelvedataStockQuotes.responseSchema.safeParse({}).success).toBe(false);
  });
});
