import { defineProvider } from '../../src/core/index.js';
import { polygonCryptoCandles, polygonStockCandles } from './candles.js';
import { polygonCryptoPrice } from './crypto.js';
import { classifyPolygonFailure } from './errors.js';
import { polygonForexRate } from './forex.js';
import { polygonNewsBySymbol, polygonNewsLatest } from './news.js';
import { polygonStockQuote, polygonStockQuotes } from './quote.js';
import { polygonStream } from './stream.js';

export const polygon = defineProvider({
  name: 'polygon',
  docsUrl: 'https://massive.com/docs/rest/quickstart',
  // polygon is now branded Massive; the old host api.polygon.io answers the same paths and keys.
  defaultBaseUrl: 'https://api.massive.com',
  // The documented header alternative to `apiKey=`: it keeps the key out of URLs and access logs.
  auth: { in: 'header', name: 'Authorization', scheme: 'Bearer' },
  // The full-market snapshot (quote.ts) holds 10,000+ tickers in one reply, past the transport's 5 MiB default.
  maxResponseBytes: 64 * 1024 * 1024,
  capabilities: {
    'stock-quote': polygonStockQuote,
    'stock-quotes': polygonStockQuotes,
    'stock-candles': polygonStockCandles,
    'crypto-price': polygonCryptoPrice,
    'crypto-candles': polygonCryptoCandles,
    'forex-rate': polygonForexRate,
    'news-by-symbol': polygonNewsBySymbol,
    'news-latest': polygonNewsLatest,
  },
  // Free keys allow 5 calls a minute (docs/vendors.md#polygon, "Quota"): the engine should probe this rarely.
  healthCheck: { method: 'GET', path: '/v1/marketstatus/now' },
  classifyFailure: classifyPolygonFailure,
  stream: polygonStream,
});
