import { defineProvider } from '../../src/core/index.js';
import { coinapiCryptoCandles } from './candles.js';
import { classifyCoinapiFailure } from './errors.js';
import { coinapiCryptoPrice, coinapiForexRate } from './rates.js';
import { coinapiStream } from './stream.js';

export const coinapi = defineProvider({
  name: 'coinapi',
  docsUrl: 'https://docs.coinapi.io/market-data/rest-api',
  defaultBaseUrl: 'https://rest.coinapi.io',
  // The header is the documented alternative to `?apikey=`: it keeps the key out of URLs, and so out of access logs.
  auth: { in: 'header', name: 'X-CoinAPI-Key' },
  capabilities: {
    'crypto-price': coinapiCryptoPrice,
    'crypto-candles': coinapiCryptoCandles,
    'forex-rate': coinapiForexRate,
  },
  // Passive detection only: coinapi bills every call in credits and has no free ping; its cheapest probe,
  // GET /v1/exchangerate/BTC/USD, would spend a credit per probe (docs/vendors.md#coinapi, "Quota").
  healthCheck: null,
  classifyFailure: classifyCoinapiFailure,
  stream: coinapiStream,
});
