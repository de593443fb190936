// GET /news — https://mediastack.com/documentation (Live News; news-by-symbol, news-search, news-latest)
// docs/vendors.md#mediastack: one endpoint for everything; no ticker tagging; `description` may be "" and `image` null;
// `published_at` carries an offset ("2026-11-24T18:22:41+00:00"); limit ≤ 100.
// `date=YYYY-MM-DD,YYYY-MM-DD` is not sent: it is reported to need a paid plan (403 function_access_restricted on the
// free one), so from/to are applied to the page we get, as newsapi's top-headlines are.
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

const mediastackArticleSchema = z.object({
  title: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  source: z.string().nullish(),
  image: z.string().nullish(),
  published_at: z.string().nullish(),
});

// `pagination` and `data` come on every page, an empty one included (`data: []`); pagination's counts are not read.
export const mediastackNewsResponseSchema = z.object({
  pagination: z.object({}),
  data: z.array(mediastackArticleSchema),
});
export type MediastackNewsResponse = z.infer<typeof mediastackNewsResponseSchema>;

const maxLimit = 100;

/** The languages mediastack serves (ISO 639-1), and its own spelling of Swedish. */
const mediastackLanguages: ReadonlySet<string> = new Set('ar de en es fr he it nl no pt ru sv zh'.split(' '));
const mediastackSpelling = { sv: 'se' };

type NewsFilter = { keywords: string } | { categories: string };

function buildNewsRequest(filter: NewsFilter, query: NewsQuery): VendorRequest | Unsupported {
  const languages = vendorLanguage(query.language, mediastackLanguages, mediastackSpelling);
  if (isUnsupported(languages)) return languages;
  return {
    method: 'GET',
    path: '/news',
    query: { ...filter, languages, sort: 'published_desc', limit: Math.min(query.limit, maxLimit), offset: 0 },
  };
}

/**
 * `keywords` documents words and `-word` exclusions, but no OR. Several tickers are sent comma-separated, the list
 * form every other mediastack filter (sources, categories, countries, languages) documents; for keywords it is
 * unverified. Joined by spaces they would be read as one sentence, matching only articles that name all of them.
 */
export function buildSymbolNewsRequest(query: NewsQuery): VendorRequest | Unsupported {
  if (query.symbols.length === 0) return { unsupported: true, detail: 'no symbols' };
  return buildNewsRequest({ keywords: query.symbols.join(',') }, query);
}

export function buildSearchRequest(query: NewsQuery): VendorRequest | Unsupported {
  const q = query.q?.trim() ?? '';
  if (q === '') return { unsupported: true, detail: 'empty q not supported' };
  return buildNewsRequest({ keywords: q }, query);
}

export function buildLatestRequest(query: NewsQuery): VendorRequest | Unsupported {
  return buildNewsRequest({ categories: 'business' }, query);
}

/** mediastack tags no tickers, and the date filter is not sent: untaggedNews tags them and keeps only from..to. */
export function normalizeNews(raw: MediastackNewsResponse, query: NewsQuery): News {
  const items = raw.data.map((item) => ({
    url: item.url,
    title: item.title,
    summary: item.description,
    source: item.source,
    publishedAt: toUtcIso(item.published_at),
    imageUrl: item.image,
  }));
  return untaggedNews(items, query);
}

export const {
  bySymbol: mediastackNewsBySymbol,
  search: mediastackNewsSearch,
  latest: mediastackNewsLatest,
} = newsHandlers(mediastackNewsResponseSchema, normalizeNews, {
  bySymbol: buildSymbolNewsRequest,
  search: buildSearchRequest,
  latest: buildLatestRequest,
});
