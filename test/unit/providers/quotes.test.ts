import { describe, expect, it } from 'vitest';
import { quoteListFrom } from '../../../providers/common/quotes.js';
import { priceOnlyQuote } from '../../helpers/quotes.js';

/** A batch entry as some vendor might send it: a ticker and a price, none when it cannot price the symbol. */
interface Entry {
  ticker: string;
  price: number | null;
}

const quoteOf = (entry: Entry, symbol: string) => (entry.price === null ? null : priceOnlyQuote(symbol, entry.price));

const entries = (...list: Entry[]) => list.map((entry) => [entry.ticker, entry] as const);

describe('quoteListFrom', () => {
  it('keeps the asked order and spelling, matching tickers case aside', () => {
    const list = quoteListFrom(
      ['brk.b', 'MSFT'],
      entries({ ticker: 'MSFT', price: 420 }, { ticker: 'BRK.B', price: 5 }),
      quoteOf,
    );
    expect(list.quotes.map(({ symbol, price }) => [symbol, price])).toEqual([
      ['brk.b', 5],
      ['MSFT', 420],
    ]);
    expect(list.missing).toEqual([]);
  });

  it('lists a symbol without an entry or without a usable quote as missing', () => {
    const list = quoteListFrom(
      ['AAPL', 'ZZZQ', 'XYZ'],
      entries({ ticker: 'AAPL', price: 190 }, { ticker: 'XYZ', price: null }),
      quoteOf,
    );
    expect(list.quotes.map(({ symbol }) => symbol)).toEqual(['AAPL']);
    expect(list.missing).toEqual(['ZZZQ', 'XYZ']);
  });

  it('answers an empty list for an empty watchlist', () => {
    expect(quoteListFrom([], entries(), quoteOf)).toEqual({ quotes: [], missing: [] });
  });
});
