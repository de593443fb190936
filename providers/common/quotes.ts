import type { StockQuote, StockQuoteList } from '../../src/core/index.js';

/**
 * A watchlist's answer from one batch reply: each asked symbol finds its entry by ticker, case aside, and `quoteOf`
 * reads it. Quotes keep the asked order and spelling; a symbol without an entry or a usable quote is listed as missing.
 */
export function quoteListFrom<Entry>(
  symbols: readonly string[],
  entries: Iterable<readonly [ticker: string, entry: Entry]>,
  quoteOf: (entry: Entry, symbol: string) => StockQuote | null,
): StockQuoteList {
  const byTicker = new Map([...entries].map(([ticker, entry]) => [ticker.toUpperCase(), entry] as const));
  const list: StockQuoteList = { quotes: [], missing: [] };
  for (const symbol of symbols) {
    const entry = byTicker.get(symbol.toUpperCase());
    const quote = entry === undefined ? null : quoteOf(entry, symbol);
    if (quote) list.quotes.push(quote);
    else list.missing.push(symbol);
  }
  return list;
}
