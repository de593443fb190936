import { defineProvider } from '../../src/core/index.js';
import { marketstackStockCandles } from './candles.js';
import { classifyMarketstackFailure } from './errors.js';
import { marketstackStockQuote, marketstackStockQuotes } from './quote.js';

export const marketstack = defineProvider({
  name: 'marketstack',
  docsUrl: 'https://marketstack.com/documentation_v2',
  // v1 is deprecated; v2 keeps the same shapes (docs/vendors.md#marketstack).
  defaultBaseUrl: 'https://api.marketstack.com/v2',
  // The only placement marketstack accepts.
  auth: { in: 'query', name: 'access_key' },
  capabilities: {
    'stock-quote': marketstackStockQuote,
    'stock-quotes': marketstackStockQuotes,
    'stock-candles': marketstackStockCandles,
  },
  // Every call, /exchanges?limit=1 included, spends the free plan's ~100 requests a month: passive detection only.
  healthCheck: null,
  classifyFailure: classifyMarketstackFailure,
});
