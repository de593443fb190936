import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { polygon } from '../../../providers/polygon/index.js';
import {
  cryptoCandlesSchema,
  cryptoPriceSchema,
  forexRateSchema,
  newsSchema,
  stockCandlesSchema,
  stockQuoteListSchema,
  stockQuoteSchema,
  type Capability,
  type CapabilityHandler,
  type QueryOf,
} from '../../../src/contract/index.js';
import { normalizeFixture } from './normalize-fixture.js';

const news = { symbols: ['AAPL'], q: null, from: null, to: null, limit: 10, language: 'en' };
const cases: { [C in Capability]?: { query: QueryOf<C>; model: z.ZodType } } = {
  'stock-quote': { query: { symbol: 'AAPL' }, model: stockQuoteSchema },
  'stock-quotes': { query: { symbols: ['AAPL', 'MSFT'] }, model: stockQuoteListSchema },
  'stock-candles': {
    query: { symbol: 'AAPL', interval: '1d', from: '2026-01-29', to: '2026-01-30', adjusted: true },
    model: stockCandlesSchema,
  },
  'crypto-price': { query: { symbol: 'BTC', vs: 'USD' }, model: cryptoPriceSchema },
  'crypto-candles': {
    query: { symbol: 'BTC', vs: 'USD', interval: '1d', from: '2026-01-29', to: '2026-01-30' },
    model: cryptoCandlesSchema,
  },
  'forex-rate': { query: { base: 'EUR', quote: 'USD' }, model: forexRateSchema },
  'news-by-symbol': { query: news, model: newsSchema },
  'news-latest': { query: { ...news, symbols: [] }, model: newsSchema },
};

describe('polygon adapter', () => {
  it('declares every capability polygon serves and no keyword news search', () => {
    expect(Object.keys(polygon.capabilities).sort()).toEqual(
      [
        'crypto-candles',
        'crypto-price',
        'forex-rate',
        'news-by-symbol',
        'news-latest',
        'stock-candles',
        'stock-quote',
        'stock-quotes',
      ].sort(),
    );
  });

  it('places the key in a Bearer Authorization header on the Massive host', () => {
    expect(polygon.auth).toEqual({ in: 'header', name: 'Authorization', scheme: 'Bearer' });
    expect(polygon.defaultBaseUrl).toBe('https://api.massive.com');
  });

  it('checks health with the market status endpoint', () => {
    expect(polygon.healthCheck).toEqual({ method: 'GET', path: '/v1/marketstatus/now' });
  });

  it.each(Object.keys(cases) as Capability[])('normalizes %s.ok into the canonical model', (capability) => {
    const handler = polygon.capabilities[capability] as CapabilityHandler<Capability, unknown>;
    const { query, model } = cases[capability] as { query: QueryOf<Capability>; model: z.ZodType };
    const result = normalizeFixture(handler, `${capability}.ok`, query);
    expect(model.safeParse(result).success).toBe(true);
  });
});
