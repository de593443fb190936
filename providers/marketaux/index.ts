import { defineProvider } from '../../src/core/index.js';
import { classifyMarketauxFailure } from './errors.js';
import { marketauxNewsBySymbol, marketauxNewsLatest, marketauxNewsSearch } from './news.js';

export const marketaux = defineProvider({
  name: 'marketaux',
  docsUrl: 'https://www.marketaux.com/documentation',
  defaultBaseUrl: 'https://api.marketaux.com/v1',
  // The only placement documented: "add this to any of our API endpoints as a GET parameter".
  auth: { in: 'query', name: 'api_token' },
  capabilities: {
    'news-by-symbol': marketauxNewsBySymbol,
    'news-search': marketauxNewsSearch,
    'news-latest': marketauxNewsLatest,
  },
  // Every call, the metadata endpoints included, spends the free plan's 100 requests a day: passive detection only.
  healthCheck: null,
  classifyFailure: classifyMarketauxFailure,
});
