// GET /everything — https://newsapi.org/docs/endpoints/everything (news-by-symbol, news-search)
// GET /top-headlines — https://newsapi.org/docs/endpoints/top-headlines (news-latest)
// docs/vendors.md#newsapi: no ticker tagging; deleted items come back as "[Removed]" placeholders with url
// https://removed.com; the same URL can repeat within one page; the developer plan serves 100 results at most.
import { z } from 'zod';
import {
  isUnsupported,
  type News,
  type NewsQuery,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { englishOnly, newsHandlers, untaggedNews, vendorLanguage } from '../common/news.js';
import { toUtcIso } from '../common/time.js';

const newsapiArticleSchema = z.object({
  source: z.object({ name: z.string().nullish() }).nullish(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  urlToImage: z.string().nullish(),
  publishedAt: z.string().nullish(),
});

// status, totalResults and articles come on every answer, an empty one included (`totalResults: 0, articles: []`).
export const newsapiArticlesResponseSchema = z.object({
  status: z.literal('ok'),
  totalResults: z.number(),
  articles: z.array(newsapiArticleSchema),
});
export type NewsapiArticlesResponse = z.infer<typeof newsapiArticlesResponseSchema>;
type NewsapiArticle = NewsapiArticlesResponse['articles'][number];

const maxPageSize = 100;
const maxQueryLength = 500;

/** The languages /everything serves (ISO 639-1), and newsapi's own spelling of Urdu. */
const everythingLanguages: ReadonlySet<string> = new Set('ar de en es fr he it nl no pt ru sv ur zh'.split(' '));
const newsapiSpelling = { ur: 'ud' };

function buildEverythingRequest(q: string, query: NewsQuery): VendorRequest | Unsupported {
  const language = vendorLanguage(query.language, everythingLanguages, newsapiSpelling);
  if (isUnsupported(language)) return language;
  if (q.trim() === '') return { unsupported: true, detail: 'empty q not supported' };
  if (q.length > maxQueryLength) return { unsupported: true, detail: `q longer than ${maxQueryLength} characters` };
  return {
    method: 'GET',
    path: '/everything',
    query: {
      q,
      language,
      sortBy: 'publishedAt',
      pageSize: Math.min(query.limit, maxPageSize),
      page: 1,
      from: query.from ?? undefined,
      // A bare date would be read as that day's midnight; the whole day is asked, so send its last second.
      to: query.to === null ? undefined : `${query.to}T23:59:59`,
    },
  };
}

export function buildSymbolNewsRequest(query: NewsQuery): VendorRequest | Unsupported {
  return buildEverythingRequest(query.symbols.join(' OR '), query);
}

export function buildSearchRequest(query: NewsQuery): VendorRequest | Unsupported {
  return buildEverythingRequest(query.q ?? '', query);
}

/**
 * top-headlines documents no `language`, only `country` (just `us` today), so it serves English alone. It has no
 * from/to either: normalizeArticles drops what falls outside the asked dates.
 */
export function buildHeadlinesRequest(query: NewsQuery): VendorRequest | Unsupported {
  const language = vendorLanguage(query.language, englishOnly);
  if (isUnsupported(language)) return language;
  return {
    method: 'GET',
    path: '/top-headlines',
    query: { country: 'us', category: 'business', pageSize: Math.min(query.limit, maxPageSize), page: 1 },
  };
}

/** Deleted items stay in the feed as "[Removed]" placeholders pointing at https://removed.com. */
function isRemovedPlaceholder(item: NewsapiArticle): boolean {
  return item.title === '[Removed]' || (item.url ?? '').startsWith('https://removed.com');
}

/** newsapi tags no tickers, and top-headlines cannot filter by date: untaggedNews tags them and keeps only from..to. */
export function normalizeArticles(raw: NewsapiArticlesResponse, query: NewsQuery): News {
  const items = raw.articles
    .filter((item) => !isRemovedPlaceholder(item))
    .map((item) => ({
      url: item.url,
      title: item.title,
      summary: item.description,
      source: item.source?.name,
      publishedAt: toUtcIso(item.publishedAt),
      imageUrl: item.urlToImage,
    }));
  return untaggedNews(items, query);
}

export const {
  bySymbol: newsapiNewsBySymbol,
  search: newsapiNewsSearch,
  latest: newsapiNewsLatest,
} = newsHandlers(newsapiArticlesResponseSchema, normalizeArticles, {
  bySymbol: buildSymbolNewsRequest,
  search: buildSearchRequest,
  latest: buildHeadlinesRequest,
});
