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
