// GET /v2/reference/news?ticker=AAPL&order=desc&sort=published_utc&limit= — https://massive.com/docs/rest/stocks/news
// Quirks (docs/vendors.md#polygon, "News"): one `ticker` per call (the endpoint filters on ticker, ticker.gt/gte/lt/lte
// only; no any_of), so news-by-symbol asks for the first symbol; no keyword search, so no news-search; limit ≤ 1000.
// No language parameter: the feed is English-language publishers only, so other languages are skipped, not served.
import { z } from 'zod';
import {
  defineCapability,
  isUnsupported,
  type News,
  type NewsQuery,
  type Unsupported,
  type VendorRequest,
} from '../../src/core/index.js';
import { englishOnly, newsPage, vendorLanguage } from '../common/news.js';
import { toUtcIso } from '../common/time.js';

// `status` comes on every answer, an empty page included; `results` is not marked required by the vendor's spec
// (https://massive.com/docs/rest/stocks/news), so only `status` tells a page without stories from a changed payload.
const polygonNewsResponseSchema = z.object({
  status: z.string(),
  results: z
    .array(
      z.object({
        title: z.string().nullish(),
        description: z.string().nullish(),
        article_url: z.string().nullish(),
        image_url: z.string().nullish(),
        published_utc: z.string().nullish(),
        tickers: z.array(z.string()).nullish(),
        publisher: z.object({ name: z.string().nullish() }).nullish(),
      }),
    )
    .nullish(),
});
export type PolygonNewsResponse = z.infer<typeof polygonNewsResponseSchema>;

const maxPageSize = 1_000;

function newsRequest(query: NewsQuery, ticker: string | undefined): VendorRequest | Unsupported {
  const language = vendorLanguage(query.language, englishOnly);
  if (isUnsupported(language)) return language;
  return {
    method: 'GET',
    path: '/v2/reference/news',
    query: {
      ticker,
      order: 'desc',
      sort: 'published_utc',
      limit: Math.min(Math.max(query.limit, 1), maxPageSize),
      // `published_utc` is an instant: a bare `to` date would stop at its midnight, so both ends are made explicit.
      'published_utc.gte': query.from ? `${query.from}T00:00:00Z` : undefined,
      'published_utc.lte': query.to ? `${query.to}T23:59:59Z` : undefined,
    },
  };
}

function buildNewsBySymbolRequest(query: NewsQuery): VendorRequest | Unsupported {
  return newsRequest(query, query.symbols[0]?.toUpperCase());
}

function buildLatestNewsRequest(query: NewsQuery): VendorRequest | Unsupported {
  return newsRequest(query, undefined);
}

function normalizeNews(raw: PolygonNewsResponse, query: NewsQuery): News {
  const items = (raw.results ?? []).map((item) => ({
    url: item.article_url,
    title: item.title,
    summary: item.description,
    source: item.publisher?.name,
    publishedAt: toUtcIso(item.published_utc),
    symbols: item.tickers ?? [],
    imageUrl: item.image_url,
  }));
  return newsPage(items, query);
}

export const polygonNewsBySymbol = defineCapability({
  capability: 'news-by-symbol',
  responseSchema: polygonNewsResponseSchema,
  buildRequest: buildNewsBySymbolRequest,
  normalize: normalizeNews,
});

export const polygonNewsLatest = defineCapability({
  capability: 'news-latest',
  responseSchema: polygonNewsResponseSchema,
  buildRequest: buildLatestNewsRequest,
  normalize: normalizeNews,
});
