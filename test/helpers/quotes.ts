import type { StockQuote } from '../../src/core/index.js';

/** A stock quote that carries only its symbol and price, every other field null: what a sparse vendor row becomes. */
export function priceOnlyQuote(symbol: string, price: number): StockQuote {
  return {
    symbol,
    price,
    change: null,
    changePercent: null,
    open: null,
    high: null,
    low: null,
    previousClose: null,
    volume: null,
    currency: null,
    asOf: null,
  };
}

/** A quote in US dollars as of 2026-11-25 15:00 UTC, for cache tests. */
export function usdQuote(symbol: string, price = 100): StockQuote {
  return { ...priceOnlyQuote(symbol, price), currency: 'USD', asOf: '2026-11-25T15:00:00.000Z' };
}
