import { describe, expect, it } from 'vitest';
import { marketstack } from '../../../providers/marketstack/index.js';
import {
  stockCandlesSchema,
  stockQuoteListSchema,
  stockQuoteSchema,
  type CapabilityHandler,
} from '../../../src/contract/index.js';
import { normalizeFixture } from './parse-fixture.js';

describe('marketstack adapter', () => {
  it('declares stock quotes, watchlists and stock candles only', () => {
    expect(Object.keys(marketstack.capabilities).sort()).toEqual(['stock-candles', 'stock-quote', 'stock-quotes']);
  });

  it('places the key in the access_key query parameter on the v2 host', () => {
    expect(marketstack.auth).toEqual({ in: 'query', name: 'access_key' });
    expect(marketstack.defaultBaseUrl).toBe('https://api.marketstack.com/v2');
  });

  it('has no active health check, since every call spends the monthly quota', () => {
    expect(marketstack.healthCheck).toBeNull();
  });

  it('normalizes each ok fixture into the canonical model', () => {
    const { capabilities } = marketstack;
    const quote = normalizeFixture(
      capabilities['stock-quote'] as CapabilityHandler<'stock-quote', unknown>,
      'stock-quote.ok',
      { symbol: 'AAPL' },
    );
    const quotes = normalizeFixture(
      capabilities['stock-quotes'] as CapabilityHandler<'stock-quotes', unknown>,
      'stock-quotes.ok',
      { symbols: ['AAPL', 'MSFT'] },
    );
    const candles = normalizeFixture(
      capabilities['stock-candles'] as CapabilityHandler<'stock-candles', unknown>,
      'stock-candles.ok',
      { symbol: 'AAPL', interval: '1d', from: '2026-01-28', to: '2026-01-30', adjusted: true },
    );
    expect(stockQuoteSchema.safeParse(quote).success).toBe(true);
    expect(stockQuoteListSchema.safeParse(quotes).success).toBe(true);
    expect(stockCandlesSchema.safeParse(candles).success).toBe(true);
  });
});
