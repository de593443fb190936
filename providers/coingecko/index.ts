import { defineProvider } from '../../src/core/index.js';
import { coingeckoCryptoCandles } from './candles.js';
import { classifyCoingeckoFailure } from './errors.js';
import { coingeckoCryptoPrice } from './price.js';

export const coingecko = defineProvider({
  name: 'coingecko',
  docsUrl: 'https://docs.coingecko.com/v3.0.1/reference/introduction',
  defaultBaseUrl: 'https://api.coingecko.com/api/v3',
  // Demo keys go in this header; the public host also answers without a key, IP-limited (docs/vendors.md#coingecko).
  auth: { in: 'header', name: 'x-cg-demo-api-key', optional: true },
  capabilities: {
    'crypto-price': coingeckoCryptoPrice,
    'crypto-candles': coingeckoCryptoCandles,
  },
  healthCheck: { method: 'GET', path: '/ping' },
  classifyFailure: classifyCoingeckoFailure,
});
