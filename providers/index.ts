import type { ProviderAdapter } from '../src/contract/index.js';
import { coingecko } from './coingecko/index.js';
import { finnhub } from './finnhub/index.js';
import { newsapi } from './newsapi/index.js';
import { polygon } from './polygon/index.js';

/** The registry: the only place a vendor is listed. Sorted by name. */
export const providers: readonly ProviderAdapter[] = [coingecko, finnhub, newsapi, polygon];
