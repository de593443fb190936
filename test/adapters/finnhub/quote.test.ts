import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { finnhub } from '../../../providers/finnhub/index.js';
import { finnhubStockQuote } from '../../../providers/finnhub/quote.js';
import { driftedReply, replyWithDrift } from '../../helpers/drift.js';
import { normalizeFixture } from '../../helpers/fixtures.js';
import { replyWithFixture, useNock } from '../../helpers/nock.js';
import { priceOnlyQuote } from '../../helpers/quotes.js';
import { roundTrip, testKey } from '../../helpers/vendor.js';

const context = { now: new Date('2026-01-30T18:00:00Z') };
const normalizeContext = { receivedAt: new Date('2026-01-30T18:00:00Z') };

describe('finnhubStockQuote.buildRequest', () => {
  it('asks GET /quote with the symbol and without the token', () => {
    const request = finnhubStockQuote.buildRequest({ symbol: 'AAPL' }, context);
    expect(request).toEqual({ method: 'GET', path: '/quote', query: { symbol: 'AAPL' } });
    expect(JSON.stringify(request)).not.toMatch(/token/i);
  });

  it('keeps the dot in share classes (BRK.B)', () => {
    expect(finnhubStockQuote.buildRequest({ symbol: 'BRK.B' }, context)).toMatchObject({ query: { symbol: 'BRK.B' } });
  });
});

describe('finnhubStockQuote.normalize', () => {
  it('maps c, d, dp, o, h, l, pc and t, with volume and currency null', () => {
    expect(normalizeFixture('finnhub', finnhubStockQuote, 'stock-quote.ok', { symbol: 'AAPL' })).toEqual({
      symbol: 'AAPL',
      price: 261.74,
      change: 2.29,
      changePercent: 0.8826,
      open: 261.07,
      high: 263.31,
      low: 260.68,
      previousClose: 259.45,
      volume: null,
      currency: null,
      asOf: '2020-02-25T14:30:00.000Z',
    });
  });

  it('returns NotFound for the all-zero answer to an unknown symbol', () => {
    expect(normalizeFixture('finnhub', finnhubStockQuote, 'stock-quote.unknown-symbol', { symbol: 'ZZZZ' })).toEqual({
      notFound: true,
      detail: 'finnhub answered zeros for the symbol',
    });
  });

  it('turns missing fields and zeros into null', () => {
    const raw = finnhubStockQuote.responseSchema.parse({ c: 10.5, d: null, dp: null, o: 0, t: 0 });
    expect(finnhubStockQuote.normalize(raw, { symbol: 'XYZ' }, normalizeContext)).toEqual(priceOnlyQuote('XYZ', 10.5));
  });

  it('rejects a price sent as a string', () => {
    const body = { c: '261.74', d: 2.29, dp: 0.8826, t: 1582641000 };
    expect(finnhubStockQuote.responseSchema.safeParse(body).success).toBe(false);
  });
});

describe('finnhub stock-quote round trip', () => {
  useNock();

  it('sends the key in X-Finnhub-Token and normalizes the reply', async () => {
    replyWithFixture(
      nock('https://finnhub.io').matchHeader('x-finnhub-token', testKey).get('/api/v1/quote').query({ symbol: 'AAPL' }),
      'finnhub',
      'stock-quote.ok',
    );
    const outcome = await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' });
    expect(outcome).toMatchObject({ outcome: 'ok', result: { symbol: 'AAPL', price: 261.74 } });
  });

  it('reports not-found for an unknown symbol', async () => {
    replyWithFixture(
      nock('https://finnhub.io').get('/api/v1/quote').query({ symbol: 'ZZZZ' }),
      'finnhub',
      'stock-quote.unknown-symbol',
    );
    expect(await roundTrip(finnhub, 'stock-quote', { symbol: 'ZZZZ' })).toMatchObject({ outcome: 'not-found' });
  });

  it('reports malformed for a body that fails the schema', async () => {
    nock('https://finnhub.io').get('/api/v1/quote').query({ symbol: 'AAPL' }).reply(200, { c: 'n/a' });
    expect(await roundTrip(finnhub, 'stock-quote', { symbol: 'AAPL' })).toMatchObject({ outcome: 'malformed' });
  });

  it('maps the unknown-symbol answer with every key renamed to malformed, not to not-found', async () => {
    replyWithDrift(
      nock('https://finnhub.io').get('/api/v1/quote').query({ symbol: 'ZZZZ' }),
      'finnhub',
      'stock-quote.unknown-symbol',
    );
    expect(await roundTrip(finnhub, 'stock-quote', { symbol: 'ZZZZ' })).toMatchObject({
      outcome: 'malformed',
      status: 200,
    });
  });
});

describe('finnhub quote after a schema change', () => {
  it('rejects the unknown-symbol answer with every key renamed, while the recorded one stays NotFound', () => {
    const drifted = driftedReply('finnhub', 'stock-quote.unknown-symbol').body;
    expect(finnhubStockQuote.responseSchema.safeParse(drifted).success).toBe(false);
    expect(normalizeFixture('finnhub', finnhubStockQuote, 'stock-quote.unknown-symbol', { symbol: 'ZZZZ' })).toEqual({
      notFound: true,
      detail: 'finnhub answered zeros for the symbol',
    });
  });

  it.each(['d', 'dp', 't'])('rejects the unknown-symbol answer without %s', (key) => {
    const body = { c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 };
    expect(finnhubStockQuote.responseSchema.safeParse({ ...body, [key]: undefined }).success).toBe(false);
  });
});
