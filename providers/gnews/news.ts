// GET /search — https://docs.gnews.io/endpoints/search-endpoint (news-by-symbol, news-search)
// GET /top-headlines — https://docs.gnews.io/endpoints/top-headlines-endpoint (news-latest)
// docs/vendors.md#gnews: no ticker tagging; `max` is 1–100 and capped by the plan; `from`/`to` are ISO 8601 instants;
// `publishedAt` comes without milliseconds ("2026-11-24T18:22:41Z").
import { z } from 'zod';
import {
  isUnsupported,
  type News,
  type NewsQuery,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { newsHandlers, untaggedNews, vendorLanguage } from '../common/news.js';
import { toUtcIso } from '../common/time.js';

const gnewsArticleSchema = z.object({
  title: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  image: z.string().nullish(),
  publishedAt: z.string().nullish(),
  source: z.object({ name: z.string().nullish() }).nullish(),
});

// totalArticles and articles come on every answer, an empty one included (`totalArticles: 0, articles: []`).
export const gnewsArticlesResponseSchema = z.object({
  totalArticles: z.number(),
  articles: z.array(gnewsArticleSchema),
});
export type GnewsArticlesResponse = z.infer<typeof gnewsArticlesResponseSchema>;

const maxArticles = 100;

/** The `lang` codes gnews documents; any other language is not served. */
const gnewsLanguages: ReadonlySet<string> = new Set(
  'ar de el en es fr he hi it ja ml mr nl no pt ro ru sv ta te uk zh'.split(' '),
);

function buildSearch(q: string, query: NewsQuery): VendorRequest | Unsupported {
  const lang = vendorLanguage(query.language, gnewsLanguages);
  if (isUnsupported(lang)) return lang;
  if (q.trim() === '') return { unsupported: true, detail: 'empty q not supported' };
  return {
    method: 'GET',
    path: '/search',
    query: {
      q,
      lang,
      max: Math.min(query.limit, maxArticles),
      sortby: 'publishedAt',
      // from/to are instants: the asked days run from the first second of `from` to the last second of `to`.
      from: query.from === null ? undefined : `${query.from}T00:00:00Z`,
      to: query.to === null ? undefined : `${query.to}T23:59:59Z`,
    },
  };
}

/** gnews reads `.` and other punctuation as query syntax; a quoted keyword is matched as written (BRK.B). */
function asKeyword(symbol: string): string {
  return /^[A-Za-z0-9]+$/.test(symbol) ? symbol : `"${symbol}"`;
}

export function buildSymbolNewsRequest(query: NewsQuery): VendorRequest | Unsupported {
  return buildSearch(query.symbols.map(asKeyword).join(' OR '), query);
}

export function buildSearchRequest(query: NewsQuery): VendorRequest | Unsupported {
  return buildSearch(query.q ?? '', query);
}

/** Business headlines; top-headlines gets no from/to here, so the normalizer drops what falls outside them. */
export function buildHeadlinesRequest(query: NewsQuery): VendorRequest | Unsupported {
  const lang = vendorLanguage(query.language, gnewsLanguages);
  if (isUnsupported(lang)) return lang;
  return {
    method: 'GET',
    path: '/top-headlines',
    query: { category: 'business', lang, max: Math.min(query.limit, maxArticles) },
  };
}

/** gnews tags no tickers, and top-headlines cannot filter by date: untaggedNews tags them and keeps only from..to. */
export function normalizeArticles(raw: GnewsArticlesResponse, query: NewsQuery): News {
  const items = raw.articles.map((item) => ({
    url: item.url,
    title: item.title,
    summary: item.description,
    source: item.source?.name,
    publishedAt: toUtcIso(item.publishedAt),
    imageUrl: item.image,
  }));
  return untaggedNews(items, query);
}

export const {
  bySymbol: gnewsNewsBySymbol,
  search: gnewsNewsSearch,
  latest: gnewsNewsLatest,
} = newsHandlers(gnewsArticlesResponseSchema, normalizeArticles, {
  bySymbol: buildSymbolNewsRequest,
  search: buildSearchRequest,
  latest: buildHeadlinesRequest,
});
