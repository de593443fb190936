import { defineProvider } from '../../src/core/index.js';
import { classifyMediastackFailure } from './errors.js';
import { mediastackNewsBySymbol, mediastackNewsLatest, mediastackNewsSearch } from './news.js';

export const mediastack = defineProvider({
  name: 'mediastack',
  docsUrl: 'https://mediastack.com/documentation',
  // HTTPS, so the key (a query parameter) never crosses the network in clear text by default. The free plan answers
  // HTTPS with https_access_restricted (a `plan` failure: the gateway fails over); operators on it set
  // baseUrl: http://api.mediastack.com/v1 knowingly (docs/vendors.md#mediastack).
  defaultBaseUrl: 'https://api.mediastack.com/v1',
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
