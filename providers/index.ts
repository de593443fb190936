import type { ProviderAdapter } from '../src/core/index.js';
import { coinapi } from './coinapi/index.js';
import { coingecko } from './coingecko/index.js';
import { cryptocompare } from './cryptocompare/index.js';
import { finnhub } from './finnhub/index.js';
import { gnews } from './gnews/index.js';
import { marketaux } from './marketaux/index.js';
import { marketstack } from './marketstack/index.js';
import { mediastack } from './mediastack/index.js';
import { newsapi } from './newsapi/index.js';
import { polygon } from './polygon/index.js';
import { twelvedata } from './twelvedata/index.js';

/** The registry: the only place a vendor is listed. Sorted by name. */
export const providers: readonly ProviderAdapter[] = [
  coinapi,
  coingecko,
  cryptocompare,
  finnhub,
  gnews,
  marketaux,
  marketstack,
  mediastack,
  newsapi,
  polygon,
  twelvedata,
];
