import { defineProvider } from '../../src/core/index.js';
import { classifyNewsapiFailure } from './errors.js';
import { newsapiNewsBySymbol, newsapiNewsLatest, newsapiNewsSearch } from './news.js';

export const newsapi = defineProvider({
  name: 'newsapi',
  docsUrl: 'https://newsapi.org/docs',
  defaultBaseUrl: 'https://newsapi.org/v2',
  // Documented alongside the apiKey query parameter; a header keeps the key out of URLs and logs.
  auth: { in: 'header', name: 'X-Api-Key' },
  capabilities: {
    'news-by-symbol': newsapiNewsBySymbol,
    'news-search': newsapiNewsSearch,
    'news-latest': newsapiNewsLatest,
  },
  // Every call, /top-headlines/sources included, spends the developer plan's 100 requests a day: passive detection only.
  healthCheck: null,
  classifyFailure: classifyNewsapiFailure,
});
