import { defineProvider } from '../../src/core/index.js';
import { classifyGnewsFailure } from './errors.js';
import { gnewsNewsBySymbol, gnewsNewsLatest, gnewsNewsSearch } from './news.js';

export const gnews = defineProvider({
  name: 'gnews',
  docsUrl: 'https://docs.gnews.io',
  defaultBaseUrl: 'https://gnews.io/api/v4',
  // Documented alongside the apikey query parameter (https://docs.gnews.io/authentication); a header keeps the key out of URLs.
  auth: { in: 'header', name: 'X-Api-Key' },
  capabilities: {
    'news-by-symbol': gnewsNewsBySymbol,
    'news-search': gnewsNewsSearch,
    'news-latest': gnewsNewsLatest,
  },
  // gnews has no free endpoint: every call spends the free plan's ~100 requests a day, so passive detection only.
  healthCheck: null,
  classifyFailure: classifyGnewsFailure,
});
