import { defineProvider } from '../../src/core/index.js';
import { cryptocompareCryptoCandles } from './candles.js';
import { classifyCryptocompareFailure } from './errors.js';
import { cryptocompareCryptoPrice } from './price.js';
import { cryptocompareStream } from './stream.js';

export const cryptocompare = defineProvider({
  name: 'cryptocompare',
  docsUrl: 'https://developers.coindesk.com/documentation/legacy/',
  defaultBaseUrl: 'https://min-api.cryptocompare.com',
  // `Authorization: Apikey KEY` is the documented header (`?api_key=` also works); the header keeps the key out of URLs.
  // Not optional: the keyless tier ended in May 2026 and min-api now answers 401 to every call without a key.
  auth: { in: 'header', name: 'authorization', scheme: 'Apikey' },
  capabilities: {
    'crypto-price': cryptocompareCryptoPrice,
    'crypto-candles': cryptocompareCryptoCandles,
  },
  // GET /stats/rate/limit — https://min-api.cryptocompare.com/documentation?key=Other&cat=rateLimitEndpoint
  // Reports the key's calls made and left; cheap, and it proves both the host and the key.
  healthCheck: { method: 'GET', path: '/stats/rate/limit' },
  classifyFailure: classifyCryptocompareFailure,
  stream: cryptocompareStream,
});
