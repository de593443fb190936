import type { Interval } from './models/common.js';
import type { CryptoCandles, StockCandles } from './models/candles.js';
import type { CryptoPrice } from './models/crypto-price.js';
import type { ForexRate } from './models/forex-rate.js';
import type { News } from './models/news.js';
import type { StockQuote, StockQuoteList } from './models/stock-quote.js';

/** Everything a vendor can be asked. The news route picks one news capability from its query (symbols / q / neither). */
export const capabilities = [
  'stock-quote',
  'stock-quotes',
  'stock-candles',
  'crypto-price',
  'crypto-candles',
  'forex-rate',
  'news-by-symbol',
  'news-search',
  'news-latest',
] as const;
export type Capability = (typeof capabilities)[number];

export interface StockQuoteQuery {
  /** Canonical upper-case ticker (BRK.B). */
  symbol: string;
}
export interface StockQuotesQuery {
  /** Canonical tickers, de-duplicated, at most 50. */
  symbols: string[];
  /**
   * Every ticker the vendor lists, in one call (polygon's full-market snapshot): the answer holds them all, and
   * `symbols` are the ones some client waits for. Only handlers that declare `wholeMarket` are asked this.
   */
  wholeMarket?: boolean;
}
/** Dates are YYYY-MM-DD, inclusive on both ends. */
export interface StockCandlesQuery {
  symbol: string;
  interval: Interval;
  from: string;
  to: string;
  adjusted: boolean;
}
export interface CryptoPriceQuery {
  symbol: string;
  /** Upper-case quote currency (USD). */
  vs: string;
}
export interface CryptoCandlesQuery {
  symbol: string;
  vs: string;
  interval: Interval;
  from: string;
  to: string;
}
export interface ForexRateQuery {
  base: string;
  quote: string;
}
export type NewsCapability = Extract<Capability, `news-${string}`>;

export function isNewsCapability(capability: Capability): capability is NewsCapability {
  return capability.startsWith('news-');
}

/** One shape for the three news capabilities: `symbols` is set for news-by-symbol, `q` for news-search. */
export interface NewsQuery {
  symbols: string[];
  q: string | null;
  from: string | null;
  to: string | null;
  limit: number;
  /** ISO-639-1 code (en). */
  language: string;
}

export interface CapabilityIo {
  'stock-quote': { query: StockQuoteQuery; result: StockQuote };
  'stock-quotes': { query: StockQuotesQuery; result: StockQuoteList };
  'stock-candles': { query: StockCandlesQuery; result: StockCandles };
  'crypto-price': { query: CryptoPriceQuery; result: CryptoPrice };
  'crypto-candles': { query: CryptoCandlesQuery; result: CryptoCandles };
  'forex-rate': { query: ForexRateQuery; result: ForexRate };
  'news-by-symbol': { query: NewsQuery; result: News };
  'news-search': { query: NewsQuery; result: News };
  'news-latest': { query: NewsQuery; result: News };
}
export type QueryOf<C extends Capability> = CapabilityIo[C]['query'];
export type ResultOf<C extends Capability> = CapabilityIo[C]['result'];
