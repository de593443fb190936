import { defineProvider } from '../../src/core/index.js';
import { classifyMediastackFailure } from './errors.js';
import { mediastackNewsBySymbol, mediastackNewsLatest, mediastackNewsSearch } from './news.js';

export const mediastack = defineProvider({
  name: 'mediastack',
  docsUrl: 'https://mediastack.com/documentation',
  // The free plan answers over HTTP only (https_access_restricted otherwise). Operators on the Standard plan or higher
  // set MEDIASTACK_BASE_URL=https://api.mediastack.com/v1 so the key stops travelling in clear text.
  defaultBaseUrl: 'http://api.mediastack.com/v1',
  // The only placement mediastack documents.
  auth: { in: 'query', name: 'access_key' },
  capabilities: {
    'news-by-symbol': mediastackNewsBySymbol,
    'news-search': mediastackNewsSearch,
    'news-latest': mediastackNewsLatest,
  },
  // Every call, /sources included, spends one of the free plan's 100 calls a month: passive detection only.
  healthCheck: null,
  classifyFailure: classifyMediastackFailure,
});
