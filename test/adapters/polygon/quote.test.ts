import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { polygon } from '../../../providers/polygon/index.js';
import { polygonStockQuote, polygonStockQuotes } from '../../../providers/polygon/quote.js';
import { driftedReply, renameKeys, replyWithDrift } from '../../helpers/drift.js';
import { fixtureNow as now, normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const baseUrl = 'https://api.massive.com';

describe('polygonStockQuote.buildRequest', () => {
  it('asks for the single-ticker snapshot with no query string', () => {
    expect(polygonStockQuote.buildRequest({ symbol: 'AAPL' }, { now })).toEqual({
      method: 'GET',
      path: '/v2/snapshot/locale/us/markets/stocks/tickers/AAPL',
    });
  });

  it('keeps the dot of a share class in the ticker', () => {
    expect(polygonStockQuote.buildRequest({ symbol: 'BRK.B' }, { now })).toMatchObject({
      path: '/v2/snapshot/locale/us/markets/stocks/tickers/BRK.B',
    });
  });
});

describe('polygonStockQuotes.buildRequest', () => {
  it('asks for every ticker in one comma-separated tickers parameter and never carries the key', () => {
    const request = polygonStockQuotes.buildRequest({ symbols: ['AAPL', 'MSFT', 'BRK.B'] }, { now });
    expect(request).toEqual({
      method: 'GET',
      path: '/v2/snapshot/locale/us/markets/stocks/tickers',
      query: { tickers: 'AAPL,MSFT,BRK.B' },
    });
    expect(JSON.stringify(request)).not.toMatch(/apiKey|Authorization/i);
  });
});

describe('normalizeQuote', () => {
  it('maps a snapshot with nanosecond timestamps to a quote', () => {
    expect(normalizeFixture('polygon', polygonStockQuote, 'stock-quote.ok', { symbol: 'AAPL' })).toEqual({
      symbol: 'AAPL',
      price: 259.47,
      change: 1.19,
      changePercent: 0.4607,
      open: 257.2,
      high: 261.9,
      low: 256.8,
      previousClose: 258.28,
      volume: 51234567,
      currency: 'USD',
      asOf: '2026-01-30T20:59:59.123Z',
    });
  });

  it('takes the last trade and leaves the session fields null when the day bar is wiped before the open', () => {
    expect(normalizeFixture('polygon', polygonStockQuote, 'stock-quote.pre-market', { symbol: 'AAPL' })).toEqual({
      symbol: 'AAPL',
      price: 258.9,
      change: 0.62,
      changePercent: 0.24,
      open: null,
      high: null,
      low: null,
      previousClose: 258.28,
      volume: null,
      currency: 'USD',
      asOf: '2026-01-30T09:20:00.000Z',
    });
  });

  it('falls back to the previous close when there is neither a trade nor a day bar', () => {
    expect(normalizeFixture('polygon', polygonStockQuote, 'stock-quote.no-trade', { symbol: 'BRK.B' })).toEqual({
      symbol: 'BRK.B',
      price: 412.5,
      change: 0,
      changePercent: 0,
      open: null,
      high: null,
      low: null,
      previousClose: 412.5,
      volume: null,
      currency: 'USD',
      asOf: null,
    });
  });

  it('returns NotFound when the snapshot has no price at all', () => {
    const raw = polygonStockQuote.responseSchema.parse({
      status: 'OK',
      ticker: { ticker: 'AAPL', day: { c: 0 }, prevDay: { c: 0 }, lastTrade: null },
    });
    expect(polygonStockQuote.normalize(raw, { symbol: 'AAPL' }, { receivedAt: now })).toEqual({
      notFound: true,
      detail: 'snapshot has no price',
    });
  });

  it('reads volumes sent as decimal strings', () => {
    const raw = polygonStockQuote.responseSchema.parse({
      status: 'OK',
      ticker: { ticker: 'AAPL', day: { o: 1, h: 2, l: 0.5, c: 1.5, v: '1200' }, lastTrade: { p: 1.5 } },
    });
    expect(polygonStockQuote.normalize(raw, { symbol: 'AAPL' }, { receivedAt: now })).toMatchObject({ volume: 1200 });
  });

  it('rejects a body without the ticker object', () => {
    expect(polygonStockQuote.responseSchema.safeParse({ status: 'OK' }).success).toBe(false);
  });

  it('rejects an empty string where a number belongs', () => {
    const body = { status: 'OK', ticker: { ticker: 'AAPL', lastTrade: { p: '' } } };
    expect(polygonStockQuote.responseSchema.safeParse(body).success).toBe(false);
  });
});

describe('normalizeQuotes', () => {
  it('returns quotes in the order asked and lists absent tickers as missing', () => {
    const result = normalizeFixture('polygon', polygonStockQuotes, 'stock-quotes.ok', {
      symbols: ['AAPL', 'ZZZQ', 'MSFT'],
    });
    expect(result).toEqual({
      quotes: [
        {
          symbol: 'AAPL',
          price: 259.47,
          change: 1.19,
          changePercent: 0.4607,
          open: 257.2,
          high: 261.9,
          low: 256.8,
          previousClose: 258.28,
          volume: 51234567,
          currency: 'USD',
          asOf: '2026-01-30T20:59:59.000Z',
        },
        {
          symbol: 'MSFT',
          price: 425.12,
          change: 5.07,
          changePercent: 1.207,
          open: 422,
          high: 428,
          low: 421.5,
          previousClose: 420.05,
          volume: 18233411,
          currency: 'USD',
          asOf: '2026-01-30T20:59:58.000Z',
        },
      ],
      missing: ['ZZZQ'],
    });
  });

  it('lists every symbol as missing when polygon sends no tickers', () => {
    const raw = polygonStockQuotes.responseSchema.parse({ status: 'OK', count: 0, tickers: [] });
    expect(polygonStockQuotes.normalize(raw, { symbols: ['ZZZA', 'ZZZB'] }, { receivedAt: now })).toEqual({
      quotes: [],
      missing: ['ZZZA', 'ZZZB'],
    });
  });
});

describe('polygon stock quotes over HTTP', () => {
  useNock();

  it('sends the key as a Bearer header, not in the query, and normalizes the snapshot', async () => {
    replyWithFixture(
      nock(baseUrl)
        .matchHeader('authorization', `Bearer ${testKey}`)
        .get('/v2/snapshot/locale/us/markets/stocks/tickers/AAPL')
        .query((query) => Object.keys(query).length === 0),
      'polygon',
      'stock-quote.ok',
    );
    const outcome = await roundTrip(polygon, 'stock-quote', { symbol: 'AAPL' });
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'AAPL', price: 259.47 } });
  });

  it('maps the 404 NOT_FOUND snapshot to not-found', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/snapshot/locale/us/markets/stocks/tickers/ZZZQ'),
      'polygon',
      'stock-quote.unknown-symbol',
    );
    expect(await roundTrip(polygon, 'stock-quote', { symbol: 'ZZZQ' })).toEqual({
      outcome: 'not-found',
      detail: 'HTTP 404 NOT_FOUND',
      status: 404,
    });
  });

  it('fetches a watchlist in one call with the tickers parameter', async () => {
    replyWithFixture(
      nock(baseUrl)
        .matchHeader('authorization', `Bearer ${testKey}`)
        .get('/v2/snapshot/locale/us/markets/stocks/tickers')
        .query({ tickers: 'AAPL,MSFT,ZZZQ' }),
      'polygon',
      'stock-quotes.ok',
    );
    const outcome = await roundTrip(polygon, 'stock-quotes', { symbols: ['AAPL', 'MSFT', 'ZZZQ'] });
    expect(outcome).toMatchObject({ outcome: 'ok', result: { missing: ['ZZZQ'] } });
  });

  it('asks for the whole market without the tickers parameter, and answers every ticker it lists', async () => {
    replyWithFixture(
      nock(baseUrl)
        .matchHeader('authorization', `Bearer ${testKey}`)
        .get('/v2/snapshot/locale/us/markets/stocks/tickers')
        .query((query) => Object.keys(query).length === 0),
      'polygon',
      'stock-quotes.ok',
    );
    const outcome = await roundTrip(polygon, 'stock-quotes', { symbols: ['MSFT', 'ZZZQ'], wholeMarket: true });
    expect(outcome).toMatchObject({ outcome: 'ok' });
    const list = (outcome as { result: { quotes: { symbol: string }[]; missing: string[] } }).result;
    // Every listed ticker with a price, whether asked or not; the asked ones it lacks are missing.
    expect(list.quotes.map((quote) => quote.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    expect(list.missing).toEqual(['ZZZQ']);
  });

  it('maps a 429 without a reset header to rate-limited with a one-minute wait', async () => {
    replyWithFixture(
      nock(baseUrl).get('/v2/snapshot/locale/us/markets/stocks/tickers/AAPL'),
      'polygon',
      'error.rate-limited',
    );
    expect(await roundTrip(polygon, 'stock-quote', { symbol: 'AAPL' })).toEqual({
      outcome: 'rate-limited',
      detail: 'HTTP 429 ERROR',
      status: 429,
      retryAfterMs: 60_000,
    });
  });

  it('maps a batch answer with every key renamed to malformed, not to every symbol missing', async () => {
    replyWithDrift(
      nock(baseUrl).get('/v2/snapshot/locale/us/markets/stocks/tickers').query({ tickers: 'AAPL,MSFT' }),
      'polygon',
      'stock-quotes.ok',
    );
    expect(await roundTrip(polygon, 'stock-quotes', { symbols: ['AAPL', 'MSFT'] })).toMatchObject({
      outcome: 'malformed',
    });
  });
});

describe('polygon snapshots after a schema change', () => {
  // A batch naming no known ticker is the documented `{status, count: 0, tickers: []}`.
  const noneKnown = { status: 'OK', count: 0, tickers: [] };

  it('rejects a batch answer with every key renamed, while one naming no known ticker lists them all as missing', () => {
    expect(polygonStockQuotes.responseSchema.safeParse(driftedReply('polygon', 'stock-quotes.ok').body).success).toBe(
      false,
    );
    expect(polygonStockQuotes.responseSchema.safeParse(renameKeys(noneKnown)).success).toBe(false);
    const raw = polygonStockQuotes.responseSchema.parse(noneKnown);
    expect(polygonStockQuotes.normalize(raw, { symbols: ['ZZZA'] }, { receivedAt: now })).toEqual({
      quotes: [],
      missing: ['ZZZA'],
    });
  });

  it('rejects a single snapshot with every key renamed', () => {
    expect(
      polygonStockQuote.responseSchema.safeParse(driftedReply('polygon', 'stock-quote.no-trade').body).success,
    ).toBe(false);
  });
});
