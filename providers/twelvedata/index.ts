import { defineProvider } from '../../src/core/index.js';
import { twelvedataCryptoCandles, twelvedataStockCandles } from './candles.js';
import { classifyTwelvedataFailure } from './errors.js';
import { twelvedataForexRate } from './forex.js';
import { twelvedataCryptoPrice, twelvedataStockQuote, twelvedataStockQuotes } from './quote.js';
import { twelvedataStream } from './stream.js';

export const twelvedata = defineProvider({
  name: 'twelvedata',
  docsUrl: 'https://twelvedata.com/docs',
  defaultBaseUrl: 'https://api.twelvedata.com',
  // `Authorization: apikey KEY` is the documented alternative to `?apikey=`: it keeps the key out of URLs and logs.
  auth: { in: 'header', name: 'Authorization', scheme: 'apikey' },
  capabilities: {
    'stock-quote': twelvedataStockQuote,
    'stock-quotes': twelvedataStockQuotes,
    'stock-candles': twelvedataStockCandles,
    'crypto-price': twelvedataCryptoPrice,
    'crypto-candles': twelvedataCryptoCandles,
    'forex-rate': twelvedataForexRate,
  },
  // GET /api_usage (https://twelvedata.com/docs#api-usage) costs 1 credit like a data call; on the free plan's 8 credits
  // a minute and 800 a day, probes would eat the quota, so twelvedata's health is judged from live traffic only.
  healthCheck: null,
  classifyFailure: classifyTwelvedataFailure,
  stream: twelvedataStream,
});
