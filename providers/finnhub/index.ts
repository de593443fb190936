import { defineProvider } from '../../src/core/index.js';
import { finnhubStockCandles } from './candles.js';
import { classifyFinnhubFailure } from './errors.js';
import { finnhubForexRate } from './forex.js';
import { finnhubNewsBySymbol, finnhubNewsLatest } from './news.js';
import { finnhubStockQuote } from './quote.js';
import { finnhubStream } from './stream.js';

export const finnhub = defineProvider({
  name: 'finnhub',
  docsUrl: 'https://finnhub.io/docs/api',
  defaultBaseUrl: 'https://finnhub.io/api/v1',
  // The header is the documented alternative to `?token=`: it keeps the key out of URLs, and so out of access logs.
  auth: { in: 'header', name: 'X-Finnhub-Token' },
  capabilities: {
    'stock-quote': finnhubStockQuote,
    'stock-candles': finnhubStockCandles,
    'forex-rate': finnhubForexRate,
    'news-by-symbol': finnhubNewsBySymbol,
    'news-latest': finnhubNewsLatest,
  },
  // GET /stock/market-status — https://finnhub.io/docs/api/market-status (free, one call per probe).
  healthCheck: { method: 'GET', path: '/stock/market-status', query: { exchange: 'US' } },
  classifyFailure: classifyFinnhubFailure,
  stream: finnhubStream,
});
